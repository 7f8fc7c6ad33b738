"""Next family event: what, when, and how long until it, with the one after on
tall panels.

Reads ``Events`` (same shape as ``Calendar``, docs/payloads.md). A long title
scrolls; the countdown is in calendar days ("tomorrow", "in 3 days") or
hours and minutes on the day itself.
"""

from __future__ import annotations

import math

from glanceboard.payloads import names
from matrix_client.pages.agenda import countdown, entries, long_when, when_label
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    canvas,
    finish,
    first_fit,
    font,
    layout,
    min_ttl,
    no_data,
    notice,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.layout import line_text
from matrix_client.render.text import wrap

KINDS = (names.EVENTS,)
TITLE = colors.WHITE
WHEN = (120, 170, 200)
COUNT = colors.PINK


def _ttl(ctx: PageContext, counting_minutes: bool) -> float:
    """Countdowns in minutes change every minute, in days at midnight."""
    now = ctx.now
    if counting_minutes:
        return max(0.001, 60 - now.second - now.microsecond / 1e6)
    return max(0.001, 86400 - (now.hour * 3600 + now.minute * 60 + now.second))


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    events = ctx.view("Events")
    if events is None:
        return no_data(ctx, "Events")
    upcoming = entries(ctx, events.as_agenda(ctx.now.date()))
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, now = ctx.width, ctx.now
    if not upcoming:
        messages = ["No events"] if upcoming is not None else ["events unreadable", "unreadable"]
        image = notice(ctx, "Next event", messages)
        return finish(ctx, image, KINDS, math.inf)
    first = upcoming[0]
    count = countdown(first, ctx)
    ttl = _ttl(ctx, count.startswith("in ") and not count.endswith("days"))
    title_font = medium if lay.tall else small
    when_long = long_when(first, ctx)
    if not lay.tall:
        line = line_text(image, (0, 1, W, small.height), first.summary, small, TITLE, now=now)
        ttl = min_ttl(ttl, line)
        when_short = first_fit([when_long, when_label(first, ctx)], tiny, W)
        line_text(image, (0, 11, W, tiny.height), when_short, tiny, WHEN)
        if first.day is not None:
            line_text(image, (0, 20, W, medium.height), count, medium, COUNT, align="center")
    else:
        title = wrap(first.summary, title_font, W, 2)
        if title_font.width(first.summary) > W * 2:
            title_font = small  # very long: the smaller font holds more of it
            title = wrap(first.summary, small, W, 2)
        for i, text_line in enumerate(title):
            box = (0, 1 + i * title_font.height, W, title_font.height)
            line_text(image, box, text_line, title_font, TITLE)
        top = 2 + len(title) * title_font.height
        when_short = first_fit([when_long, when_label(first, ctx)], small, W)
        line_text(image, (0, top, W, small.height), when_short, small, WHEN)
        if first.day is not None:
            box = (0, top + 10, W, medium.height)
            line_text(image, box, count, medium, COUNT, align="center")
        y = top + 24
        for entry in upcoming[1:3]:
            if y + small.ascent > ctx.height:
                break
            label = when_label(entry, ctx)
            lw = tiny.width(label) + 3
            line_text(image, (0, y + 1, lw, tiny.height), label, tiny, WHEN)
            line_text(image, (lw, y, W - lw, small.height), entry.summary, small, colors.SOFT)
            y += 10
    return finish(ctx, image, KINDS, ttl)


PAGE = PageSpec(name="events", render=render, types=KINDS, title="Next event")
