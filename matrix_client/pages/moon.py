"""Moon: the disc drawn from the phase, its name, the lit fraction, and the
next sun and moon events.

Reads ``Moon`` (docs/payloads.md): ``phase`` 0-99 (0 new, 50 full), ``illumstr``
("62.3%"), ``sunevent``/``moonevent`` ("Sunset:   04:31 PM"). The times are
shown in the display's zone from ``sunevent_at``/``moonevent_at`` when sent, else
as the text has them. The lit fraction shown is the producer's when readable,
else computed from the phase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.moon import Moon
from glanceboard.payloads.times import parse_clock
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    clock_label,
    font,
    local,
    text,
    with_aware_times,
)
from matrix_client.pages.notice import no_data_tree
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.icons import lit_fraction
from matrix_client.render.widgets import Box, Column, Expand, Marquee, Row, Scene, Text, Widget
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.moon import ARROW, Arrow, MoonDisc
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.MOON,)
NAMES = (
    (0.03, "New Moon", "New"),
    (0.22, "Waxing Crescent", "Wax Cres"),
    (0.28, "First Quarter", "1st Qtr"),
    (0.47, "Waxing Gibbous", "Wax Gibb"),
    (0.53, "Full Moon", "Full"),
    (0.72, "Waning Gibbous", "Wan Gibb"),
    (0.78, "Last Quarter", "Last Qtr"),
    (0.97, "Waning Crescent", "Wan Cres"),
    (1.01, "New Moon", "New"),
)
SUN_COLOR = (255, 190, 40)
MOON_COLOR = (225, 220, 170)
Part = Literal["lit", "short", "name", "name_words", "lit_label", "events", "sun", "moon"]


@dataclass(frozen=True)
class MoonLayout:
    disc: int = field(metadata={"min": 4, "max": 64})
    lines: tuple[Part, ...]
    name_font: FontRole
    lit_font: FontRole
    event_font: FontRole
    disc_pad: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom
    above: tuple[int, ...] = ()
    beside: bool = True  # the lines beside the disc, else centred under it
    event_labels: bool = False  # "Sunset 4:31 PM" rather than "4:31 PM"
    event_gap: int = 2  # px an event's text keeps free, to the next one
    arrow_gap: int = 1  # px between the arrow and the time


LAYOUT = page_table("moon", MoonLayout)


def phase_of(moon: Moon) -> float | None:
    """0-1 from the payload's 0-99 phase; None when unreadable."""
    return None if moon.phase is None else moon.phase / 100


def phase_name(phase: float) -> tuple[str, str]:
    for upper, name, short in NAMES:
        if phase < upper:
            return name, short
    return NAMES[-1][1], NAMES[-1][2]


def illumination(moon: Moon, phase: float | None) -> str:
    n = moon.illumination
    if n is not None and 0 <= n <= 100:
        return f"{round(n)}%"
    if phase is not None:
        return f"{round(lit_fraction(phase) * 100)}%"
    return PLACEHOLDER + "%"


def event(value: str | None) -> tuple[str, str, bool | None]:
    """'Sunset:   04:31 PM' -> ('Sunset', '4:31 PM', False); rising -> True, unknown -> None."""
    raw = text(value, 80)
    if not raw:
        return "", PLACEHOLDER, None
    label, sep, rest = raw.partition(":")
    if not sep:
        return "", raw, None
    label, when = label.strip(), rest.strip()
    when = when[1:] if when.startswith("0") and len(when) > 1 and when[1].isdigit() else when
    lower = label.lower()
    rising = True if "rise" in lower else False if "set" in lower else None
    return label, when or PLACEHOLDER, rising


def _event(value: str | None, moment: datetime | None, color: colors.Color, ctx: PageContext,
           lay: MoonLayout) -> Widget:
    """A rise/set arrow and the time (with its label where the layout asks and it fits)."""
    label, when, rising = event(value)
    if moment is not None:
        when = clock_label(local(moment, ctx), ctx)  # the display's zone, not the producer's
    elif (clock := parse_clock(when)) is not None:
        # An older producer's text only: its zone is unknown, but 12/24 h is the display's.
        when = clock_label(ctx.now.replace(hour=clock[0], minute=clock[1]), ctx)
    fnt = font(ctx, lay.event_font)
    compact = when.replace(" PM", "p").replace(" AM", "a")
    shown = f"{label} {when}" if lay.event_labels and label else when
    choices = [Marquee(t, fnt, color) for t in (shown, when, compact)]
    # The arrow sits in the middle of the text's ascent.
    drop = max(0, (fnt.ascent - ARROW[1]) // 2)
    arrow = Box(Arrow(rising, color), padding=(0, drop, lay.arrow_gap, 0))
    return Row([arrow, Expand(FirstFit(choices, slack=lay.event_gap))])


def _line(part: Part, values: Moon, ctx: PageContext, lay: MoonLayout) -> Widget:
    if part == "sun":
        return _event(values.sunevent, values.sun_at, SUN_COLOR, ctx, lay)
    if part == "moon":
        return _event(values.moonevent, values.moon_at, MOON_COLOR, ctx, lay)
    if part == "events":
        sun = _event(values.sunevent, values.sun_at, SUN_COLOR, ctx, lay)
        moon = _event(values.moonevent, values.moon_at, MOON_COLOR, ctx, lay)
        return Row([Expand(sun), Expand(moon)])
    phase = phase_of(values)
    name, short = phase_name(phase) if phase is not None else ("Phase unknown", PLACEHOLDER)
    align = "left" if lay.beside else "center"
    if part == "short":
        return Line(Text(short, lay.lit_font, colors.GREY, align=align))
    if part == "name":
        choices = [Text(n, lay.name_font, colors.WHITE, align=align) for n in (name, short)]
        return FirstFit(choices)
    if part == "name_words":
        words = name.split(" ", 1) + [""]
        return Column([Line(Text(w, lay.name_font, colors.WHITE, align=align)) for w in words[:2]])
    lit = illumination(values, phase)
    if part == "lit":
        return Line(Text(lit, lay.name_font, colors.WHITE, align=align))
    return Line(Text(f"{lit} lit", lay.lit_font, colors.GREY, align=align))  # lit_label


def tree(ctx: PageContext) -> Scene:
    values = ctx.view("Moon")
    if values is None:
        return Scene(no_data_tree(ctx, "Moon"))
    lay = LAYOUT.for_size(ctx.size)
    disc = Box(MoonDisc(phase_of(values), lay.disc), padding=lay.disc_pad)
    lines = [_line(part, values, ctx, lay) for part in lay.lines]
    if lay.beside:
        root: Widget = Row([disc, Expand(spaced(lines, lay.above))])
    else:
        root = spaced([Box(disc, halign="center"), *lines], [0, *lay.above])
    return Scene(root, math.inf)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="moon", render=render, types=KINDS, title="Moon")
