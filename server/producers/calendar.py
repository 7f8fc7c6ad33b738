"""The household calendar for this week, from any iCalendar (.ics) URL or file.

Recurring events (RRULE, RDATE, EXDATE, moved occurrences) are expanded by
``recurring-ical-events``; every time is written in the local zone
(``TIMEZONE``, else the machine's). Events (:mod:`server.producers.events`)
shares all of this with a longer window.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from server.producers.base import (
    ConfigError,
    Producer,
    ShapeError,
    option,
    positive_number,
    require,
)
from server.producers.place import add_zone_argument, local_zone
from server.producers.secrets import setting_or_file
from server.producers.shape import UpstreamShapeError

NO_EVENTS = ["No events"]
MAX_ENTRIES = 20


@dataclass(frozen=True)
class Entry:
    summary: str
    start: date | datetime
    end: date | datetime
    sort_key: datetime

    def as_list(self) -> list[str]:
        return [self.summary, self.start.isoformat(), self.end.isoformat()]


def _aware(moment: date | datetime, zone: tzinfo) -> datetime:
    """A date as local midnight; a floating time in the local zone; else converted."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(), zone)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def parse_calendar(text: str, source: str) -> icalendar.Calendar:
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise UpstreamShapeError("Calendar", source, f"is not iCalendar: {exc}") from None
    if calendar.name != "VCALENDAR":
        raise UpstreamShapeError("Calendar", source,
                                 f"should hold a VCALENDAR, got {calendar.name}")
    return calendar


def entries_between(calendar: icalendar.Calendar, source: str, start: datetime,
                    end: datetime, zone: tzinfo, with_uid: bool = False) -> list[Any]:
    """Every occurrence overlapping [start, end), recurrences expanded, in ``zone``
    (with ``with_uid``, each as ``(entry, UID)``)."""
    try:
        occurrences = recurring_ical_events.of(calendar).between(start, end)
    except Exception as exc:  # the library names the broken property
        raise UpstreamShapeError("Calendar", source,
                                 f"has an event that cannot be expanded: {exc}") from None
    out: list[Entry] = []
    for event in occurrences:
        if "DTSTART" not in event:
            raise UpstreamShapeError("Calendar", f"{source}: VEVENT {event.get('UID', '?')}",
                                     "has no DTSTART")
        begin = event.decoded("DTSTART")
        if "DTEND" in event:
            finish = event.decoded("DTEND")
        elif "DURATION" in event:
            finish = begin + event.decoded("DURATION")
        else:  # RFC 5545: a date lasts one day, a time is an instant
            finish = begin + timedelta(days=1) if not isinstance(begin, datetime) else begin
        summary = str(event.get("SUMMARY", "")).strip() or "(no title)"
        if isinstance(begin, datetime):
            begin, finish = _aware(begin, zone), _aware(finish, zone)
        entry = Entry(summary, begin, finish, _aware(begin, zone))
        out.append((entry, str(event.get("UID", ""))) if with_uid else entry)
    return out


def still_on(entry: Entry, now: datetime, zone: tzinfo) -> bool:
    """Not over yet: still running counts (an all-day event today, a meeting in progress)."""
    return _aware(entry.end, zone) > now or entry.end == entry.start


def upcoming(calendars: list[tuple[icalendar.Calendar, str]], now: datetime, days: float,
             limit: int, zone: tzinfo) -> list[Any]:
    """The ``Calendar``/``Events`` values: entries not yet over, soonest first."""
    now = now.astimezone(zone)
    window_end = now + timedelta(days=days)
    found: list[Entry] = []
    for calendar, source in calendars:
        found.extend(entries_between(calendar, source, now, window_end, zone))
    found = [e for e in found if still_on(e, now, zone)]
    found.sort(key=lambda e: (e.sort_key, e.summary))
    if not found:
        return list(NO_EVENTS)
    return [e.as_list() for e in found[:limit]]


class Calendar(Producer):
    name = "Calendar"
    type = "Calendar"
    default_period = 900
    description = "this week's entries of one or more iCalendar URLs or files"

    source_env = "CALENDAR_SOURCE"
    household = {"timezone": "timezone", "calendar_source": "source"}
    default_days = 7.0
    default_limit = MAX_ENTRIES

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--source", env=cls.source_env, secret=True,
               help="iCalendar URL(s) (http, https, webcal) or file path(s), comma-separated "
               f"(or a file holding them named by env {cls.source_env}_FILE: private "
               "calendar URLs are secrets); required")
        option(parser, "--days", type=float, default=cls.default_days,
               help="how many days ahead to show")
        option(parser, "--limit", type=int, default=cls.default_limit,
               help=f"at most this many entries, 1-{MAX_ENTRIES}")
        add_zone_argument(parser)

    def sources(self) -> list[str]:
        raw = setting_or_file(self, "source", None, env=self.source_env, required=True)
        items = [s.strip() for s in str(raw).replace("\n", ",").split(",") if s.strip()]
        if not items:
            raise ConfigError(f"{self.name}: no calendar source given (--source, env "
                              f"{self.source_env})")
        return items

    def read(self, source: str) -> str:
        if source.startswith("webcal://"):
            source = "https://" + source[len("webcal://"):]
        if "://" in source:
            return self.get_text(source, headers={"Accept": "text/calendar"})
        path = Path(source).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise OSError(f"{self.name}: cannot read {path}: {exc.strerror}") from None

    def limit(self) -> int:
        raw = self.setting("limit", self.default_limit)
        where = "(--limit, config 'limit')"
        try:
            limit = int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{self.name}: limit {raw!r} is not a whole number {where}"
                              ) from None
        if not 1 <= limit <= MAX_ENTRIES:
            raise ConfigError(f"{self.name}: limit {limit} is outside 1-{MAX_ENTRIES} {where}")
        return limit

    def fetch(self) -> list[Any]:
        days = positive_number(self.setting("days", self.default_days),
                               f"{self.name}: --days (config 'days')", unit="days")
        limit = self.limit()
        zone = local_zone(self)
        calendars = []
        for i, source in enumerate(self.sources()):
            label = f"source[{i}]"
            calendars.append((parse_calendar(self.read(source), label), label))
        return upcoming(calendars, self.now(), days, limit, zone)

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "", list, where=kind)
        if values == NO_EVENTS:
            return
        for i, entry in enumerate(values):
            if not (isinstance(entry, list) and len(entry) == 3
                    and all(isinstance(x, str) for x in entry)):
                raise ShapeError(f"{kind}[{i}] is {entry!r:.60}, expected [summary, start, end]")


PRODUCER = Calendar
