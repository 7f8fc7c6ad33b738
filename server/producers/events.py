"""Family events (birthdays, anniversaries, trips) as the original's list of
``{name, event, month, day, year}``.

The source (``EVENTS_SOURCE``) is a JSON file or URL holding that list (the
original's ``events.json``), published unchanged in its order, or iCalendar
(URLs or files, as :mod:`server.producers.calendar` reads them): each event in
the window becomes an entry. A yearly event titled ``Sam's birthday`` (or
anniversary) reads as name ``Sam``, event ``Birthday`` and the year it began;
any other event keeps its title as the name and carries its own times in the
extensions ``summary``, ``start`` and ``end``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import icalendar

from glanceboard.payloads.events import FamilyEvent
from glanceboard.payloads.original import values_problems
from server.producers.base import ShapeError, positive_number, require
from server.producers.calendar import (
    Calendar,
    Entry,
    entries_between,
    parse_calendar,
    still_on,
)
from server.producers.place import local_zone
from server.producers.shape import UpstreamShapeError

_YEARLY = re.compile(r"^(?P<name>.+?)'s\s+(?:\d+(?:st|nd|rd|th)\s+)?(?P<event>birthday|"
                     r"anniversary)$", re.IGNORECASE)


def family_from_json(text: str, source: str) -> list[dict[str, Any]]:
    """The original's ``events.json``: a list of ``{name, event, month, day, year}``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UpstreamShapeError("Events", source, f"is not JSON: {exc}") from None
    if not isinstance(data, list) or not data:
        raise UpstreamShapeError("Events", source, "should be a non-empty list of events")
    found = values_problems("Events", data)
    if found:
        raise UpstreamShapeError("Events", source, "has " + "; ".join(found[:3]))
    return data


def _first_years(calendar: icalendar.Calendar) -> dict[str, int]:
    """UID -> the year a recurring event began (its ordinal counts from there)."""
    years = {}
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event and "DTSTART" in event:
            years[str(event.get("UID", ""))] = event.decoded("DTSTART").year
    return years


def family_event(entry: Entry, first_year: int | None) -> FamilyEvent:
    start = entry.start.date() if isinstance(entry.start, datetime) else entry.start
    match = _YEARLY.match(entry.summary)
    if match and first_year is not None:
        return FamilyEvent(name=match["name"], event=match["event"].capitalize(),
                           month=start.month, day=start.day, year=first_year)
    return FamilyEvent(name=entry.summary, event="", month=start.month, day=start.day,
                       year=start.year, summary=entry.summary, start=entry.start,
                       end=entry.end)


class Events(Calendar):
    name = "Events"
    type = "Events"
    default_period = 3600
    description = ("family events from the original's events.json (a file or URL) or "
                   "from iCalendar URLs or files")

    source_env = "EVENTS_SOURCE"
    household = {"timezone": "timezone", "events_source": "source"}
    default_days = 90.0
    default_limit = 10

    def fetch(self) -> list[Any]:
        days = positive_number(self.setting("days", self.default_days),
                               f"{self.name}: --days (config 'days')", unit="days")
        limit = self.limit()
        zone = local_zone(self)
        now = self.now().astimezone(zone)
        out: list[Any] = []
        found: list[tuple[Entry, int | None]] = []
        for i, source in enumerate(self.sources()):
            label = f"source[{i}]"
            text = self.read(source)
            if text.lstrip().startswith("["):
                out.extend(family_from_json(text, label))
                continue
            calendar = parse_calendar(text, label)
            years = _first_years(calendar)
            end = now + timedelta(days=days)
            for entry, uid in entries_between(calendar, label, now, end, zone, with_uid=True):
                if still_on(entry, now, zone):
                    found.append((entry, years.get(uid)))
        found.sort(key=lambda item: (item[0].sort_key, item[0].summary))
        out.extend(family_event(e, y).to_values() for e, y in found[:limit])
        return out

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "", list, where=kind)
        if not values:
            raise ShapeError(f"{kind}: no events (the original clients need at least one)")
        found = values_problems(kind, values)
        if found:
            raise ShapeError(f"{kind}: " + "; ".join(found[:3]))


PRODUCER = Events
