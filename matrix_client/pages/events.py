"""Next family event: what, when, and how long until it, with the one after on
tall panels.

Reads ``Events`` (same shape as ``Calendar``, docs/payloads.md). A long title
scrolls; the countdown is in calendar days ("tomorrow", "in 3 days") or
hours and minutes on the day itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from glanceboard.payloads import names
from matrix_client.pages.agenda import Entry, countdown, entries, long_when, when_label
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import font, with_aware_times
from matrix_client.pages.notice import no_data_tree, notice_tree
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Expand, Row, Scene, Text, Widget
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.EVENTS,)
TITLE = colors.WHITE
WHEN = (120, 170, 200)
COUNT = colors.PINK


@dataclass(frozen=True)
class EventsLayout:
    title_font: FontRole
    when_font: FontRole
    title_lines: int = field(default=1, metadata={"min": 1, "max": 4})
    title_scroll: bool = False  # one line that scrolls, rather than wrapped lines
    long_title_font: FontRole | None = None  # for a title wider than its lines hold
    count_font: FontRole = "medium"
    above: tuple[int, ...] = ()
    more: int = field(default=0, metadata={"min": 0, "max": 8})  # events after the first
    more_above: int = 0
    more_font: FontRole = "small"
    more_label_font: FontRole = "tiny"
    more_label_drop: int = 0
    more_label_gap: int = 0


LAYOUT = page_table("events", EventsLayout)


def _ttl(ctx: PageContext, counting_minutes: bool) -> float:
    """Countdowns in minutes change every minute, in days at midnight."""
    now = ctx.now
    if counting_minutes:
        return max(0.001, 60 - now.second - now.microsecond / 1e6)
    return max(0.001, 86400 - (now.hour * 3600 + now.minute * 60 + now.second))


def _title(ctx: PageContext, first: Entry, lay: EventsLayout) -> Widget:
    if lay.title_scroll:
        return Text(first.summary, lay.title_font, TITLE, scroll=True)
    role = lay.title_font
    if lay.long_title_font and font(ctx, role).width(first.summary) > ctx.width * lay.title_lines:
        role = lay.long_title_font  # very long: the smaller font holds more of it
    return Text(first.summary, role, TITLE, lines=lay.title_lines, line_gap=0)


def _more(ctx: PageContext, entry: Entry, lay: EventsLayout) -> Widget:
    """A later event: its short when, then its title."""
    label = Text(when_label(entry, ctx), lay.more_label_font, WHEN)
    summary = Text(entry.summary, lay.more_font, colors.SOFT)
    return Row(
        [
            Box(label, padding=(0, lay.more_label_drop, lay.more_label_gap, 0)),
            Expand(summary),
        ]
    )


def tree(ctx: PageContext) -> Scene:
    events = ctx.view("Events")
    if events is None:
        return Scene(no_data_tree(ctx, "Events"))
    upcoming = entries(ctx, events.as_agenda(ctx.now.date()))
    if not upcoming:
        messages = ["No events"] if upcoming is not None else ["events unreadable", "unreadable"]
        return Scene(notice_tree(ctx, "Next event", messages))
    lay = LAYOUT.for_size(ctx.size)
    first = upcoming[0]
    count = countdown(first, ctx)
    ttl = _ttl(ctx, count.startswith("in ") and not count.endswith("days"))
    whens = [long_when(first, ctx), when_label(first, ctx)]
    shown = count if first.day is not None else ""
    parts: list[Widget] = [
        _title(ctx, first, lay),
        FirstFit([Text(w, lay.when_font, WHEN) for w in whens]),
        Line(Text(shown, lay.count_font, COUNT, align="center")),
    ]
    above = list(lay.above)
    for entry in upcoming[1 : 1 + lay.more]:
        parts.append(_more(ctx, entry, lay))
        above.append(lay.more_above)
    return Scene(spaced(parts, above), ttl)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="events", render=render, types=KINDS, title="Next event")
