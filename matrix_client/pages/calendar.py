"""Weekly calendar: a strip of the coming days (seven where they fit apart) over
the coming entries, with the garbage-night alert on its day (``PageSettings.garbage_weekday``).

Reads ``Calendar`` (docs/payloads.md). The strip marks today, days that have
entries, and the garbage day; on garbage day itself the first line is the alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from glanceboard.payloads import names
from matrix_client.pages.agenda import Entry, entries, when_label
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import font, with_aware_times
from matrix_client.pages.notice import no_data_tree
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.widgets import (
    Box,
    Column,
    Expand,
    Icon,
    Row,
    Scene,
    Stack,
    Text,
    Widget,
)
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.CALENDAR,)
TODAY = colors.AMBER
BUSY = colors.CYAN
GARBAGE = (60, 200, 90)
GARBAGE_CELL = (0, 50, 15)
BAND = (22, 22, 34)
WHEN = (120, 170, 200)


@dataclass(frozen=True)
class CalendarLayout:
    strip_height: int = field(metadata={"min": 8, "max": 32})
    strip_number_font: FontRole
    letters: int = field(metadata={"min": 1, "max": 3})  # of the weekday names
    text_font: FontRole
    strip_name_font: FontRole = "tiny"
    # Seven cells on a 64 px strip are 9 px: two-digit numbers 2 px apart read as one.
    days: int = field(default=7, metadata={"min": 3, "max": 7})
    banded_below: int = 12  # cells narrower than this get a band behind every other day
    mark_width: int = field(default=3, metadata={"min": 1, "max": 8})  # the busy mark
    mark_height: int = field(default=1, metadata={"min": 1, "max": 4})
    mark_nudge: int = 1  # px right of the middle (even widths: the strip always had it so)
    when_font: FontRole = "tiny"
    when_width: int | None = None  # a fixed column for the times, else each as wide as it is
    when_gap: int = 3
    stacked: bool = False  # the time on its own line over the summary
    line_gap: int = 0
    summary_scroll: bool = False  # a summary wider than its line scrolls rather than shortens
    body_above: int = 1
    empty_bottom: int = 1  # "No events" stands this far above the bottom
    alert_gap: int = 2
    alert_icon: int = field(default=5, metadata={"min": 5, "max": 12})  # the garbage can
    message_font: FontRole = "small"  # "No events", "calendar unreadable"


LAYOUT = page_table("calendar", CalendarLayout)


def garbage_day(ctx: PageContext) -> int | None:
    value = ctx.settings.garbage_weekday
    return value if isinstance(value, int) and 0 <= value <= 6 else None


def _cell(ctx: PageContext, i: int, busy: set[date], lay: CalendarLayout) -> Widget:
    """Day ``i`` from today: its name over its number, a mark when it has entries."""
    day = ctx.now.date() + timedelta(days=i)
    garbage = day.weekday() == garbage_day(ctx)
    odd = i % 2 == 1
    # Alternate brightness so that neighbouring numbers in narrow cells stay apart.
    name_color = TODAY if i == 0 else (colors.DIM_TEXT if odd else colors.GREY)
    number_color = TODAY if i == 0 else (GARBAGE if garbage else colors.WHITE)
    label = Column(
        [
            Text(
                day.strftime("%a")[: lay.letters], lay.strip_name_font, name_color, align="center"
            ),
            Text(str(day.day), lay.strip_number_font, number_color, align="center"),
        ],
        cross_align="stretch",
    )
    if day not in busy:
        return label
    # The mark on the cell's bottom row, over a number's descent.
    dot = Box(width=lay.mark_width, height=lay.mark_height, background=BUSY)
    marked = Box(dot, padding=(lay.mark_nudge, 0, 0, 0), halign="center", valign="end")
    return Stack([label, marked], halign="stretch", valign="stretch")


def _strip(ctx: PageContext, busy: set[date], lay: CalendarLayout) -> Widget:
    """The next ``days`` days in equal cells, the garbage day and (narrow) every other banded."""
    cells: list[Widget] = []
    garbage = garbage_day(ctx)
    narrow = ctx.width // lay.days < lay.banded_below
    for i in range(lay.days):
        day = ctx.now.date() + timedelta(days=i)
        background = None
        if day.weekday() == garbage:
            background = GARBAGE_CELL
        elif i % 2 == 1 and narrow:
            background = BAND  # narrow cells: a faint band keeps "27" "28" apart
        cells.append(Expand(Box(_cell(ctx, i, busy, lay), background=background)))
    return Box(Row(cells, cross_align="stretch"), height=lay.strip_height)


def _alert(ctx: PageContext, lay: CalendarLayout) -> Widget:
    fnt = font(ctx, lay.text_font)
    drop = max(0, (fnt.ascent - lay.alert_icon) // 2)
    label = FirstFit([Text(t, fnt, GARBAGE) for t in ("Garbage night", "Garbage!")])
    icon = Box(Icon("trash", lay.alert_icon), padding=(0, drop, lay.alert_gap, 0))
    return Row([icon, Expand(label)])


def _line(ctx: PageContext, entry: Entry, lay: CalendarLayout) -> Widget:
    label = when_label(entry, ctx)
    summary = Text(entry.summary, lay.text_font, colors.WHITE, scroll=lay.summary_scroll)
    if lay.stacked:  # the time on its own line, the summary under it
        return Column([Text(label, lay.when_font, WHEN), summary])
    # The time stands on the summary's baseline.
    drop = font(ctx, lay.text_font).ascent - font(ctx, lay.when_font).ascent
    gap = 0 if lay.when_width is not None else lay.when_gap
    when = Box(Text(label, lay.when_font, WHEN), width=lay.when_width, padding=(0, drop, gap, 0))
    return Row([when, Expand(summary)])


def tree(ctx: PageContext) -> Scene:
    agenda = ctx.view("Calendar")
    if agenda is None:
        return Scene(no_data_tree(ctx, "Calendar"))
    lay = LAYOUT.for_size(ctx.size)
    upcoming = entries(ctx, agenda)
    busy = {e.day for e in upcoming or [] if e.day is not None}
    strip = _strip(ctx, busy, lay)
    if upcoming is None:
        body: Widget = Text("calendar unreadable", lay.message_font, colors.GREY)
        return Scene(spaced([strip, body], [0, lay.body_above]))
    lines: list[Widget] = []
    if garbage_day(ctx) == ctx.now.weekday():
        lines.append(_alert(ctx, lay))  # the alert takes the first line
    # No more entries than lines of the font fit the panel: the rest would not show.
    room = max(1, ctx.height // font(ctx, lay.text_font).height)
    lines += [_line(ctx, entry, lay) for entry in upcoming[:room]]
    body = spaced(lines, [0] + [lay.line_gap] * len(lines))
    if not upcoming:
        empty = Text("No events", lay.message_font, colors.GREY, align="center")
        body = Column(
            [body, Expand(Box()), Box(empty, padding=(0, 0, 0, lay.empty_bottom))],
            cross_align="stretch",
        )
    # The picture changes at midnight, and when a timed entry ends and drops off.
    ends = [(e.end - ctx.now).total_seconds() for e in upcoming if e.end and e.end > ctx.now]
    body = Box(body, padding=(0, lay.body_above, 0, 0))
    root = Column([strip, Expand(body)], cross_align="stretch")
    return Scene(root, min([_to_midnight(ctx), *ends]))


def _to_midnight(ctx: PageContext) -> float:
    now = ctx.now
    return max(0.001, 86400 - (now.hour * 3600 + now.minute * 60 + now.second))


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="calendar", render=render, types=KINDS, title="Calendar")
