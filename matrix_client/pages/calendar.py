"""Weekly calendar: a strip of the next seven days over the coming entries, with
the garbage-night alert on its day (``PageSettings.garbage_weekday``).

Reads ``Calendar`` (docs/payloads.md). The strip marks today, days that have
entries, and the garbage day; on garbage day itself the first line is the alert.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from PIL import Image

from glanceboard.payloads import names
from matrix_client.pages.agenda import Entry, entries, when_label
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    canvas,
    finish,
    first_fit,
    font,
    layout,
    no_data,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.icons import paste, trash_icon
from matrix_client.render.layout import Box, columns, fill, line_text

KINDS = (names.CALENDAR,)
TODAY = colors.AMBER
BUSY = colors.CYAN
GARBAGE = (60, 200, 90)
GARBAGE_CELL = (0, 50, 15)
BAND = (22, 22, 34)
WHEN = (120, 170, 200)


def garbage_day(ctx: PageContext) -> int | None:
    value = ctx.settings.garbage_weekday
    return value if isinstance(value, int) and 0 <= value <= 6 else None


def _strip(
    image: Image.Image,
    box: Box,
    ctx: PageContext,
    busy: set[date],
    name_font: Font,
    number_font: Font,
    letters: int,
) -> None:
    today = ctx.now.date()
    garbage = garbage_day(ctx)
    for i, cell in enumerate(columns(box, 7)):
        x, y, w, h = cell
        day = today + timedelta(days=i)
        if day.weekday() == garbage:
            fill(image, cell, GARBAGE_CELL)
        elif i % 2 == 1 and w < 12:
            # Narrow cells: a faint band behind every other day keeps "27" "28" apart.
            fill(image, cell, BAND)
        name = day.strftime("%a")[:letters]
        # Alternate brightness so that neighbouring numbers in narrow cells stay apart.
        odd = i % 2 == 1
        color = TODAY if i == 0 else (colors.DIM_TEXT if odd else colors.GREY)
        line_text(image, (x, y, w, name_font.height), name, name_font, color, align="center")
        number_color = TODAY if i == 0 else (GARBAGE if day.weekday() == garbage else colors.WHITE)
        line_text(
            image,
            (x, y + name_font.height, w, number_font.height),
            str(day.day),
            number_font,
            number_color,
            align="center",
        )
        if day in busy:
            mark_y = y + h - 1
            fill(image, (x + w // 2 - 1, mark_y, 3 if w >= 9 else 2, 1), BUSY)


def _alert(image: Image.Image, box: Box, fnt: Font) -> None:
    x, y, w, h = box
    icon = trash_icon("small")
    paste(image, icon, (x, y + max(0, (fnt.ascent - icon.height) // 2)))
    room = w - icon.width - 2
    label = first_fit(["Garbage night", "Garbage!"], fnt, room)
    line_text(image, (x + icon.width + 2, y, room, fnt.height), label, fnt, GARBAGE)


def _line(
    image: Image.Image,
    box: Box,
    entry: Entry,
    ctx: PageContext,
    when_font: Font,
    text_font: Font,
    when_width: int | None,
) -> None:
    x, y, w, h = box
    label = when_label(entry, ctx)
    lw = when_width if when_width is not None else when_font.width(label) + 3
    line_text(
        image,
        (x, y + text_font.ascent - when_font.ascent, lw, when_font.height),
        label,
        when_font,
        WHEN,
    )
    line_text(image, (x + lw, y, w - lw, text_font.height), entry.summary, text_font, colors.WHITE)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    agenda = ctx.view("Calendar")
    if agenda is None:
        return no_data(ctx, "Calendar")
    upcoming = entries(ctx, agenda)
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small = font(ctx, "tiny"), font(ctx, "small")
    W, H = ctx.width, ctx.height
    busy = {e.day for e in upcoming or [] if e.day is not None}
    if lay.wide:
        strip_h = 6 + 8 + (2 if lay.tall else 0)  # short panels: room for two full lines
        _strip(image, (0, 0, W, strip_h), ctx, busy, tiny, small, 3)
    else:
        strip_h = 6 + 6 + 2
        _strip(image, (0, 0, W, strip_h), ctx, busy, tiny, tiny, 1)
    top = strip_h + 1
    lines: list[Entry | None] = []
    if garbage_day(ctx) == ctx.now.weekday():
        lines.append(None)  # the alert takes the first line
    if upcoming is None:
        line_text(image, (0, top, W, small.height), "calendar unreadable", small, colors.GREY)
        return finish(ctx, image, KINDS, math.inf)
    lines.extend(upcoming)
    if not upcoming:
        line_text(
            image,
            (0, H - small.height - 1, W, small.height),
            "No events",
            small,
            colors.GREY,
            align="center",
        )
    text_font = small if (lay.wide or lay.tall) else tiny
    line_h = text_font.height + (1 if lay.tall else 0)
    when_w = 38 if lay.wide else None
    y = top
    for entry in lines:
        if y + text_font.ascent > H:
            break
        if entry is None:
            _alert(image, (0, y, W, line_h), text_font)
        elif lay.tall and not lay.wide:
            # Narrow and tall: the time on its own line, the summary under it.
            line_text(image, (0, y, W, tiny.height), when_label(entry, ctx), tiny, WHEN)
            y += tiny.height
            if y + small.ascent > H:
                break
            line_text(image, (0, y, W, small.height), entry.summary, small, colors.WHITE)
        else:
            _line(image, (0, y, W, line_h), entry, ctx, tiny, text_font, when_w)
        y += line_h
    # The picture changes at midnight, and when a timed entry ends and drops off.
    ends = [(e.end - ctx.now).total_seconds() for e in upcoming if e.end and e.end > ctx.now]
    return finish(ctx, image, KINDS, min([_to_midnight(ctx), *ends]))


def _to_midnight(ctx: PageContext) -> float:
    now = ctx.now
    return max(0.001, 86400 - (now.hour * 3600 + now.minute * 60 + now.second))


PAGE = PageSpec(name="calendar", render=render, types=KINDS, title="Calendar")
