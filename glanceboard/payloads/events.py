"""Events: the original's family events ``{name, event, month, day, year}``.

Each entry recurs every year on its month and day; ``year`` is the year of
the first occurrence, so the next one is the ``(next year - year)``th
(``Ryan's 27th Birthday``). Our producer writes the same entries from a
file, a URL or iCalendar; an entry made from a one-off iCalendar event
carries the extensions ``summary``, ``start`` and ``end`` (its real times,
which then win over the yearly rule). Our earlier shape, agenda triples, is
read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from glanceboard.payloads.agenda import Agenda
from glanceboard.payloads.agenda import Entry as AgendaEntry
from glanceboard.payloads.read import compact, integer, mapping, sequence, string
from glanceboard.payloads.times import parse_any, parse_date

MAX_ENTRIES = 500


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _on(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, 3, 1) if (month, day) == (2, 29) else None  # a leap-day birthday


@dataclass(frozen=True, slots=True)
class FamilyEvent:
    name: str | None = None
    event: str | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    summary: str | None = None  # extension: the title as the source wrote it
    start: datetime | date | None = None  # extension: a one-off event's own times
    end: datetime | date | None = None

    @classmethod
    def parse(cls, value: Any) -> FamilyEvent:
        data = mapping(value)
        start_raw, end_raw = data.get("start"), data.get("end")
        return cls(
            name=string(data.get("name"), 200),
            event=string(data.get("event"), 200),
            month=integer(data.get("month"), 1, 12),
            day=integer(data.get("day"), 1, 31),
            year=integer(data.get("year"), 1, 9999),
            summary=string(data.get("summary"), 500),
            start=parse_date(start_raw) or parse_any(start_raw),
            end=parse_date(end_raw) or parse_any(end_raw),
        )

    @property
    def recurring(self) -> bool:
        return self.start is None

    def next_on(self, today: date) -> date | None:
        """The day of the next occurrence, today included."""
        if self.start is not None:
            return self.start if not isinstance(self.start, datetime) else self.start.date()
        if self.month is None or self.day is None:
            return None
        this_year = _on(today.year, self.month, self.day)
        if this_year is not None and this_year >= today:
            return this_year
        return _on(today.year + 1, self.month, self.day)

    def title(self, today: date) -> str:
        """``Ryan's 27th Birthday``; the summary for a one-off event."""
        if self.summary and not self.recurring:
            return self.summary
        who = f"{self.name}'s" if self.name else ""
        what = self.event or ""
        when = self.next_on(today)
        if self.year is not None and when is not None and when.year > self.year and what:
            what = f"{ordinal(when.year - self.year)} {what}"
        return f"{who} {what}".strip() or (self.summary or "")

    def to_values(self) -> dict[str, Any]:
        def iso(moment: datetime | date | None) -> str | None:
            return moment.isoformat() if moment is not None else None

        return compact({
            "name": self.name if self.name is not None else "",
            "event": self.event if self.event is not None else "",
            "month": self.month,
            "day": self.day,
            "year": self.year,
            "summary": self.summary,
            "start": iso(self.start),
            "end": iso(self.end),
        })


@dataclass(frozen=True, slots=True)
class Events:
    family: tuple[FamilyEvent, ...] = ()
    agenda: Agenda = Agenda()  # our earlier shape: [summary, start, end] triples
    readable: bool = True

    @classmethod
    def parse(cls, values: Any) -> Events:
        if not isinstance(values, list | tuple):
            return cls(readable=False, agenda=Agenda((), readable=False))
        family = tuple(FamilyEvent.parse(v) for v in sequence(values, MAX_ENTRIES)
                       if isinstance(v, dict))
        triples = [v for v in sequence(values, MAX_ENTRIES) if isinstance(v, list | tuple)]
        return cls(family, Agenda.parse(triples) if triples else Agenda())

    def entries(self, today: date) -> list[AgendaEntry]:
        """Every event as an agenda entry (a family event on the day of its next
        occurrence, all day), for pages that list what is coming."""
        out = list(self.agenda.entries)
        for event in self.family:
            when = event.next_on(today)
            if isinstance(event.start, datetime):
                end = event.end if isinstance(event.end, datetime) else None
                out.append(AgendaEntry(event.title(today), start=event.start, end=end))
            elif when is not None:
                own_end = isinstance(event.end, date) and not event.recurring
                end_day = event.end if own_end else when + timedelta(days=1)  # all that day
                out.append(AgendaEntry(event.title(today), start_day=when,
                                       end_day=end_day))  # type: ignore[arg-type]
            else:
                out.append(AgendaEntry(event.title(today)))
        return out

    def as_agenda(self, today: date) -> Agenda:
        return Agenda(tuple(self.entries(today)), readable=self.readable)

    def to_values(self) -> list[Any]:
        """The family events; entries of our earlier shape become one-off events."""
        out = [e.to_values() for e in self.family]
        for entry in self.agenda.entries:
            start = entry.start_day or entry.start
            day = start.date() if isinstance(start, datetime) else start
            if day is None:
                continue  # an entry without a date has no day to recur on
            out.append(FamilyEvent(
                name=entry.summary or "", event="", month=day.month, day=day.day,
                year=day.year, summary=entry.summary, start=start,
                end=entry.end_day or entry.end).to_values())
        return out
