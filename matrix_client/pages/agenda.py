"""Calendar entries (``Calendar`` and ``Events``) read tolerantly, and their labels.

An entry is ``[summary, start, end]``: timed (ISO 8601 with offset) or all-day
(``YYYY-MM-DD``, end exclusive); ``["No events"]`` means nothing is coming.
Entries with unreadable dates are kept with no date (shown last), so a half
broken calendar still shows what it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from glanceboard.payloads.agenda import Agenda
from matrix_client.pages.base import PageContext
from matrix_client.pages.common import clock_label, local, text

MAX_ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    summary: str
    day: date | None  # local date it starts (None when unreadable)
    start: datetime | None  # local start for timed entries
    end: datetime | None
    all_day: bool


def entries(ctx: PageContext, agenda: Agenda | None) -> list[Entry] | None:
    """Upcoming entries, soonest first; None when the payload is not a list at all."""
    if agenda is None or not agenda.readable:
        return None
    today = ctx.now.date()
    out: list[Entry] = []
    for raw in agenda.entries[:MAX_ENTRIES]:
        summary = text(raw.summary, 200) or "(untitled)"
        day = raw.start_day
        if day is not None:
            end_day = raw.end_day or day + timedelta(days=1)
            if end_day <= today:
                continue
            shown_day = max(day, today)  # an event that began earlier shows as today's
            out.append(Entry(summary, shown_day, None, None, True))
            continue
        if raw.start is None:
            out.append(Entry(summary, None, None, None, False))
            continue
        start = local(raw.start, ctx)
        end = local(raw.end, ctx) if raw.end is not None else None
        if (end or start) <= ctx.now and not (end is None and start.date() == today):
            continue
        out.append(Entry(summary, start.date(), start, end, False))

    # Undated last; within a day, all-day entries before timed ones, then by start.
    out.sort(
        key=lambda e: (
            e.day is None,
            e.day or date.max,
            not e.all_day,
            e.start.timestamp() if e.start else 0.0,
        )
    )
    return out


def short_time(moment: datetime, ctx: PageContext) -> str:
    """'9:30a' or '09:30': compact for agenda lines."""
    if ctx.settings.clock_24h:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    suffix = "a" if moment.hour < 12 else "p"
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}{suffix}"


def when_label(entry: Entry, ctx: PageContext, with_day: bool = True) -> str:
    """'9:30a' today, 'Fri 9:30a' later in the week, 'Dec 8' beyond, 'Fri' all day."""
    if entry.day is None:
        return "?"
    today = ctx.now.date()
    delta = (entry.day - today).days
    if delta < 7:
        day = "" if delta == 0 else entry.day.strftime("%a")
    else:
        day = f"{entry.day.strftime('%b')} {entry.day.day}"
    if entry.all_day or entry.start is None:
        return day or "Today"
    time = short_time(entry.start, ctx)
    return f"{day} {time}".strip() if with_day else time


def long_when(entry: Entry, ctx: PageContext) -> str:
    """'Fri Nov 27, 9:30 AM' or 'Sun Nov 29' (all day)."""
    if entry.day is None:
        return "date unknown"
    base = f"{entry.day.strftime('%a %b')} {entry.day.day}"
    if entry.all_day or entry.start is None:
        return base
    return f"{base}, {clock_label(entry.start, ctx)}"


def countdown(entry: Entry, ctx: PageContext) -> str:
    """'now', 'in 3h', 'today', 'tomorrow', 'in 3 days' (by calendar days)."""
    if entry.day is None:
        return "?"
    now = ctx.now
    if entry.start is not None and not entry.all_day:
        seconds = (entry.start - now).total_seconds()
        if seconds <= 0:
            return "now"
        if seconds < 3600:
            return f"in {max(1, int(seconds // 60))} min"
        if entry.day == now.date():
            return f"in {int(seconds // 3600)}h"
    days = (entry.day - now.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"
