"""Calendar: ``[summary, start, end]`` entries, or ``["No events"]``.

Timed entries carry RFC 3339 times with offset; all-day entries (ours only)
carry ``YYYY-MM-DD`` dates, end exclusive. The same entries were our earlier
``Events`` shape, so :mod:`glanceboard.payloads.events` reads them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from glanceboard.payloads.read import sequence, string
from glanceboard.payloads.times import parse_any, parse_date

NO_EVENTS = "No events"
MAX_ENTRIES = 250  # Google's page size: the original sends every entry of its window


@dataclass(frozen=True, slots=True)
class Entry:
    summary: str | None
    start: datetime | None = None  # timed entries
    end: datetime | None = None
    start_day: date | None = None  # all-day entries
    end_day: date | None = None  # exclusive

    @property
    def all_day(self) -> bool:
        return self.start_day is not None

    @classmethod
    def parse(cls, value: Any) -> Entry | None:
        raw = sequence(value, 3)
        if not raw:
            return None
        start_raw = raw[1] if len(raw) > 1 else None
        end_raw = raw[2] if len(raw) > 2 else None
        return cls(
            summary=string(raw[0], 500),
            start=None if parse_date(start_raw) else parse_any(start_raw),
            end=None if parse_date(end_raw) else parse_any(end_raw),
            start_day=parse_date(start_raw),
            end_day=parse_date(end_raw),
        )

    def to_values(self) -> list[str]:
        if self.start_day is not None:
            end = self.end_day or self.start_day
            return [self.summary or "", self.start_day.isoformat(), end.isoformat()]
        start = self.start.isoformat() if self.start else ""
        return [self.summary or "", start, self.end.isoformat() if self.end else start]


@dataclass(frozen=True, slots=True)
class Agenda:
    entries: tuple[Entry, ...] = ()
    readable: bool = True  # False when ``values`` was not a list at all

    @property
    def empty(self) -> bool:
        return not self.entries

    @classmethod
    def parse(cls, values: Any) -> Agenda:
        if not isinstance(values, list | tuple):
            return cls((), readable=False)
        if values and isinstance(values[0], str):
            return cls(())  # ["No events"]
        parsed = (Entry.parse(v) for v in sequence(values, MAX_ENTRIES))
        return cls(tuple(e for e in parsed if e is not None))

    def to_values(self) -> list[Any]:
        return [e.to_values() for e in self.entries] or [NO_EVENTS]
