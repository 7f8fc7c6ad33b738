"""Clock: the time in large numerals, seconds, weekday and date.

A widget tree; what each panel size shows is in layouts/clock.toml: the time
centred with seconds beside it over the date (64x32, and 128x64 with a seconds
bar), the time beside a column of seconds, weekday and date (128x32), or an
analog face over the time and date (64x64).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import font, seconds_to_next, with_aware_times
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.widgets import (
    Box,
    Column,
    Expand,
    ProgressBar,
    Row,
    Scene,
    Text,
    Widget,
)
from matrix_client.render.widgets.face import ClockFace
from matrix_client.render.widgets.tables import FontRole

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


def _hm(ctx: PageContext) -> tuple[str, str]:
    """('9:41', 'PM') in 12-hour mode, ('21:41', '') in 24-hour mode."""
    now = ctx.now
    if ctx.settings.clock_24h:
        return f"{now.hour:02d}:{now.minute:02d}", ""
    hour = now.hour % 12 or 12
    return f"{hour}:{now.minute:02d}", "AM" if now.hour < 12 else "PM"


def _date(ctx: PageContext, lay: ClockLayout) -> str:
    now = ctx.now
    weekday = now.strftime("%A" if lay.date == "long" else "%a")
    return f"{weekday} {now.strftime('%b')} {now.day}"


def _time_with_side(ctx: PageContext, lay: ClockLayout) -> Widget:
    """The time, with AM/PM at its top right and the seconds on its baseline."""
    hm, ampm = _hm(ctx)
    seconds_font = font(ctx, lay.side_font)
    # The seconds stand on the numerals' baseline: their descent hangs below it.
    numerals = Box(Text(hm, lay.time_font, TIME_COLOR), padding=(0, 0, 0, seconds_font.descent))
    # Stretched to the numerals' height: AM/PM at the top, the seconds at the bottom.
    side = Column(
        [
            Box(Text(ampm, lay.ampm_font, AMPM_COLOR), padding=(0, lay.ampm_drop, 0, 0)),
            Text(f"{ctx.now.second:02d}", seconds_font, TIME_COLOR),
        ],
        main_align="space_between" if ampm else "end",
    )
    return Row([numerals, side], gap=lay.side_gap, cross_align="stretch")


def _centered(ctx: PageContext, lay: ClockLayout) -> Widget:
    parts: list[Widget | None] = [
        _time_with_side(ctx, lay),
        Text(_date(ctx, lay), lay.date_font, DATE_COLOR, align="center"),
    ]
    if lay.seconds_bar:
        bar = ProgressBar(ctx.now.second / 60, BAR_COLOR, BAR_TRACK, height=lay.bar_height)
        parts.append(bar)
    return Column(
        [
            spaced(parts[:1], lay.above[:1], cross_align="center"),
            spaced(parts[1:], lay.above[1:]),
        ],
        cross_align="stretch",
    )


def _beside(ctx: PageContext, lay: ClockLayout) -> Widget:
    hm, ampm = _hm(ctx)
    now = ctx.now
    lines = [
        Text(f"{now.second:02d} {ampm}".strip(), lay.side_font, TIME_COLOR),
        Text(now.strftime("%A"), lay.side_font, DAY_COLOR),
        Text(f"{now.strftime('%b')} {now.day}", lay.side_font, DATE_COLOR),
    ]
    return Row(
        [
            Text(hm, lay.time_font, TIME_COLOR, valign="middle"),
            Expand(spaced(lines, lay.above)),
        ],
        gap=lay.side_gap,
        cross_align="stretch",
    )


def _face(ctx: PageContext, lay: ClockLayout) -> Widget:
    hm, ampm = _hm(ctx)
    parts = [
        ClockFace(lay.face_radius, TIME_COLOR),
        Text(f"{hm} {ampm}".strip(), lay.time_font, TIME_COLOR, align="center"),
        Text(_date(ctx, lay), lay.date_font, DATE_COLOR, align="center"),
    ]
    return spaced(parts, lay.above, cross_align="center")


STYLES = {"centered": _centered, "beside": _beside, "face": _face}


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    body = STYLES[lay.style](ctx, lay)
    return Scene(Box(body, padding=lay.inset), seconds_to_next(ctx.now, 1.0))


render = with_aware_times(tree_page(tree))

PAGE = PageSpec(name="clock", render=render, types=(), title="Clock")
