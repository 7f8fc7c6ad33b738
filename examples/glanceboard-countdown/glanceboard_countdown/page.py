"""The countdown page: the next event of the ``Countdown`` message and the time left.

A tree function (the widget layer lays it out) and a layout table per size class
(``countdown.toml``, checked when this module is imported). Named in
``pyproject.toml`` under the ``glanceboard.pages`` entry points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from glanceboard.timefmt import TimeFormatError, parse_time
from matrix_client.pages.plugin import Page, PageContext, Scene
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Column, ProgressBar, Text, Widget
from matrix_client.render.widgets.tables import FontRole, load_table

TYPE = "Countdown"
JUST_PASSED = 3600.0  # seconds an event stays on as "now" after its time


@dataclass(frozen=True)
class CountdownLayout:
    name_font: FontRole
    left_font: FontRole
    date: bool  # the event's date and time under the count
    date_font: FontRole
    bar: bool  # how much of the wait is over, when the event says since when
    gap: int = field(metadata={"min": 0, "max": 8})
    padding: int = field(metadata={"min": 0, "max": 4})


LAYOUT = load_table(Path(__file__).with_name("countdown.toml"), CountdownLayout)


@dataclass(frozen=True)
class Event:
    name: str
    at: datetime
    since: datetime | None


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value)
    except (TimeFormatError, TypeError, ValueError, OverflowError):
        return None


def next_event(values: Any, now: datetime) -> Event | None:
    """The first event not longer ago than :data:`JUST_PASSED`; anything unusable in
    the message is skipped."""
    events = values.get("events") if isinstance(values, Mapping) else None
    found: list[Event] = []
    for raw in events if isinstance(events, list) else ():
        if not isinstance(raw, Mapping):
            continue
        at = _time(raw.get("at"))
        if at is None or (now - at).total_seconds() > JUST_PASSED:
            continue
        found.append(Event(str(raw.get("name") or "?"), at, _time(raw.get("from"))))
    return min(found, key=lambda e: e.at) if found else None


def time_left(seconds: float) -> str:
    if seconds <= 0:
        return "now"
    minutes = math.ceil(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes} min"


def progress(event: Event, now: datetime) -> float | None:
    if event.since is None or event.since >= event.at:
        return None
    return (now - event.since) / (event.at - event.since)


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    values = ctx.values(TYPE)
    event = None if values is None else next_event(values, ctx.now)
    rows: list[Widget]
    if event is None:
        message = "no data yet" if values is None else "nothing ahead"
        rows = [Text("countdown", lay.name_font, colors.AMBER, align="center"),
                Text(message, "tiny", colors.GREY, align="center")]
        ttl = math.inf
    else:
        left = (event.at - ctx.now).total_seconds()
        rows = [Text(event.name, lay.name_font, colors.AMBER, align="center"),
                Text(time_left(left), lay.left_font, colors.WHITE, align="center")]
        if lay.date:
            at = event.at.astimezone(ctx.now.tzinfo)
            rows.append(Text(f"{at:%a %b} {at.day} {at:%H:%M}", lay.date_font, colors.GREY,
                             align="center"))
        fraction = progress(event, ctx.now)
        if lay.bar and fraction is not None:
            rows.append(ProgressBar(fraction, colors.CYAN))
        # The count changes each minute; after the event, when it leaves the page.
        ttl = (left % 60 or 60.0) if left > 0 else left + JUST_PASSED
    column = Column(rows, main_align="center", cross_align="stretch", gap=lay.gap)
    return Scene(Box(column, padding=lay.padding), ttl=ttl)


_EVENTS = [
    {"name": "Launch", "at": "2026-12-24T18:00:00-05:00", "from": "2026-11-01T00:00:00-05:00"},
    {"name": "Dentist", "at": "2026-11-27T09:30:00-05:00", "from": "2026-11-20T09:30:00-05:00"},
    {"name": "Last year", "at": "2025-11-27T09:30:00-05:00"},
]

PAGE = Page(
    name="countdown",
    tree=tree,
    types=(TYPE,),
    title="Countdown",
    # Drawn at glanceboard's sample moment, 2026-11-26 16:55:08 in New York.
    samples={
        "": {TYPE: {"events": _EVENTS}},
        "soon": {TYPE: {"events": [{"name": "Tea", "at": "2026-11-26T17:00:00-05:00",
                                     "from": "2026-11-26T16:00:00-05:00"}]}},
        "long": {TYPE: {"events": [{"name": "A very long event name " * 4,
                                     "at": "2036-11-26T17:00:00-05:00"}]}},
        "past": {TYPE: {"events": [_EVENTS[2]]}},
    },
)
