"""Clock: the time in large numerals, seconds, weekday and date.

A widget tree; what each panel size shows is in layouts/clock.toml: the time
centred with seconds beside it over the date (64x32, and 128x64 with a seconds
bar), the time beside a column of seconds, weekday and date (128x32), or an
analog face over the time and date (64x64).

The seconds (digits, bar, the face's hands) paint from the render's time, so the
tree is the same for a whole minute and its still part is drawn once a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import font, with_aware_times
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.widgets import (
    Box,
    Column,
    Expand,
    Row,
    Scene,
    Text,
    Widget,
)
from matrix_client.render.widgets.face import ClockFace
from matrix_client.render.widgets.tables import FontRole
from matrix_client.render.widgets.ticking import Seconds, SecondsBar, seconds_to_next

TIME_COLOR = colors.AMBER
DATE_COLOR = colors.CYAN
DAY_COLOR = colors.WHITE
AMPM_COLOR = colors.dimmed(TIME_COLOR, 0.7)
BAR_COLOR = colors.dimmed(TIME_COLOR, 0.7)
BAR_TRACK = colors.dimmed(colors.DIM, 0.6)


@dataclass(frozen=True)
class ClockLayout:
    style: Literal["centered", "beside", "face"]
    time_font: FontRole = "clock"
    side_font: FontRole = "small"  # the seconds
    ampm_font: FontRole = "tiny"
    ampm_drop: int = field(default=0, metadata={"min": 0, "max": 8})
    side_gap: int = field(default=2, metadata={"min": 0, "max": 16})
    date_font: FontRole = "small"
    date: Literal["short", "long"] = "short"  # "Thu Nov 26" or "Thursday Nov 26"
    above: tuple[int, ...] = ()  # px above each part, from the top
    inset: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom
    face_radius: int = field(default=23, metadata={"min": 4, "max": 64})
    seconds_bar: bool = False
    bar_height: int = field(default=1, metadata={"min": 1, "max": 4})


LAYOUT = page_table("clock", ClockLayout)


@dataclass(frozen=True)
class Minute:
    """What the clock shows besides the seconds: the same for a whole minute."""

    hm: str  # "9:41" in 12-hour mode, "21:41" in 24-hour mode
    ampm: str  # "PM", or "" in 24-hour mode
    date: str  # "Thu Nov 26" (or the long form the layout asks for)
    weekday: str  # "Thursday"
    month_day: str  # "Nov 26"
    seconds_font: Font


def _minute(ctx: PageContext, lay: ClockLayout) -> Minute:
    now = ctx.now
    if ctx.settings.clock_24h:
        hm, ampm = f"{now.hour:02d}:{now.minute:02d}", ""
    else:
        hm, ampm = f"{now.hour % 12 or 12}:{now.minute:02d}", "AM" if now.hour < 12 else "PM"
    weekday = now.strftime("%A" if lay.date == "long" else "%a")
    month_day = f"{now.strftime('%b')} {now.day}"
    return Minute(hm, ampm, f"{weekday} {month_day}", now.strftime("%A"), month_day,
                  font(ctx, lay.side_font))


def _time_with_side(m: Minute, lay: ClockLayout) -> Widget:
    """The time, with AM/PM at its top right and the seconds on its baseline."""
    # The seconds stand on the numerals' baseline: their descent hangs below it.
    numerals = Box(
        Text(m.hm, lay.time_font, TIME_COLOR), padding=(0, 0, 0, m.seconds_font.descent)
    )
    # Stretched to the numerals' height: AM/PM at the top, the seconds at the bottom.
    side = Column(
        [
            Box(Text(m.ampm, lay.ampm_font, AMPM_COLOR), padding=(0, lay.ampm_drop, 0, 0)),
            Seconds(font=m.seconds_font, color=TIME_COLOR),
        ],
        main_align="space_between" if m.ampm else "end",
    )
    return Row([numerals, side], gap=lay.side_gap, cross_align="stretch")


def _centered(m: Minute, lay: ClockLayout) -> Widget:
    parts: list[Widget | None] = [
        _time_with_side(m, lay),
        Text(m.date, lay.date_font, DATE_COLOR, align="center"),
    ]
    if lay.seconds_bar:
        parts.append(SecondsBar(BAR_COLOR, BAR_TRACK, height=lay.bar_height))
    return Column(
        [
            spaced(parts[:1], lay.above[:1], cross_align="center"),
            spaced(parts[1:], lay.above[1:]),
        ],
        cross_align="stretch",
    )


def _beside(m: Minute, lay: ClockLayout) -> Widget:
    lines = [
        Seconds(f" {m.ampm}" if m.ampm else "", m.seconds_font, TIME_COLOR),
        Text(m.weekday, lay.side_font, DAY_COLOR),
        Text(m.month_day, lay.side_font, DATE_COLOR),
    ]
    return Row(
        [
            Text(m.hm, lay.time_font, TIME_COLOR, valign="middle"),
            Expand(spaced(lines, lay.above)),
        ],
        gap=lay.side_gap,
        cross_align="stretch",
    )


def _face(m: Minute, lay: ClockLayout) -> Widget:
    parts = [
        ClockFace(lay.face_radius, TIME_COLOR),
        Text(f"{m.hm} {m.ampm}".strip(), lay.time_font, TIME_COLOR, align="center"),
        Text(m.date, lay.date_font, DATE_COLOR, align="center"),
    ]
    return spaced(parts, lay.above, cross_align="center")


STYLES = {"centered": _centered, "beside": _beside, "face": _face}


@lru_cache(maxsize=8)
def _body(lay: ClockLayout, m: Minute) -> Widget:
    """The tree of one minute, built once: its widgets are never changed once built,
    and the seconds paint from the render's time."""
    return Box(STYLES[lay.style](m, lay), padding=lay.inset)


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    return Scene(_body(lay, _minute(ctx, lay)), seconds_to_next(ctx.now, 1.0))


render = with_aware_times(tree_page(tree))

PAGE = PageSpec(name="clock", render=render, types=(), title="Clock")
