"""Forecast: the coming days with icon, high and low, and the chance of rain.

Reads ``Weather.forecast`` (docs/payloads.md). Days before today are skipped.
Short panels show day columns; 64x64 a list of four days; 128x64 six wide columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.weather import Day, Weather
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    degrees,
    temp_color,
    text,
    units_of,
    whole,
    with_aware_times,
)
from matrix_client.pages.notice import no_data_tree, notice_tree
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.icons import condition_for
from matrix_client.render.widgets import Box, Column, Expand, Icon, Row, Scene, Stack, Text, Widget
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.tables import FontRole
from matrix_client.render.widgets.ticking import seconds_to_next

KINDS = (names.WEATHER,)
RAIN_TEXT = (90, 150, 255)
TODAY = colors.AMBER


@dataclass(frozen=True)
class RowLayout:
    """A day as a list row: name, icon, then high over low and the rain chance."""

    count: int = field(metadata={"min": 1, "max": 16})
    height: int = field(metadata={"min": 6, "max": 64})
    name_width: int
    name_font: FontRole
    icon: int = field(metadata={"min": 8, "max": 32})
    high_fonts: tuple[FontRole, ...]
    high_height: int  # the high's line: the low stays put under it
    low_font: FontRole
    name_drop: int = 0
    icon_pad: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom
    high_drop: int = 0
    pop_indent: int = 0  # where the rain chance's right-aligned box starts


@dataclass(frozen=True)
class ForecastLayout:
    style: Literal["columns", "rows"]
    icon: int = field(metadata={"min": 8, "max": 32})
    name_font: FontRole
    temp_font: FontRole
    pop_font: FontRole | None = None  # None: no rain chance in the columns
    column_width: int = field(default=16, metadata={"min": 8, "max": 64})
    columns: int | None = None  # a fixed count instead of as many as column_width fits
    column_gap: int = 0
    top: int = 0
    temp_gap: int = 1  # px between the icon and the high
    apart: int = 2  # px a temperature keeps from the next column (else it loses its sign)
    row: RowLayout | None = None


LAYOUT = page_table("forecast", ForecastLayout)


def days(ctx: PageContext, weather: Weather) -> list[tuple[date | None, Day]]:
    """The forecast days from today on (days without a date are kept)."""
    today = ctx.now.date()
    return [(d.day, d) for d in weather.forecast[:16] if d.day is None or d.day >= today]


def _day_name(
    ctx: PageContext,
    day: date | None,
    entry: Day,
    fnt: FontRole,
    color: colors.Color,
    align: Literal["left", "center"] = "center",
) -> Widget:
    """The day's name: 'Today', 'Thu' or 'Th', the first that fits."""
    if day is not None:
        words = ["Today", day.strftime("%a")] if day == ctx.now.date() else [day.strftime("%a")]
        words.append(day.strftime("%a")[:2])
    else:
        name = text(entry.name(), 12)
        words = [name, name[:3], name[:2]] if name else [PLACEHOLDER]
    return FirstFit([Text(w, fnt, color, align=align) for w in words])


def _temp(value: float | None, fallback: colors.Color, units: str
          ) -> tuple[str, colors.Color]:
    return degrees(value), temp_color(value, units, fallback)


def _pop(value: int | None) -> str:
    pop = whole(value)
    return (
        f"{pop}%"
        if pop is not None and 0 < pop <= 100 and pop != 100
        else ("100" if pop == 100 else "")
    )


def _degrees(value: float | None, fnt: FontRole, color: colors.Color, apart: int) -> Widget:
    """'72°', or '72' where only that keeps its distance to the next column."""
    full = degrees(value)
    choices = [Text(t, fnt, color, align="center") for t in (full, full.rstrip("\u00b0"))]
    return FirstFit(choices, slack=apart)


def _column(ctx: PageContext, day: date | None, entry: Day, lay: ForecastLayout) -> Widget:
    is_today = day == ctx.now.date()
    name = _day_name(ctx, day, entry, lay.name_font, TODAY if is_today else colors.WHITE)
    kind = condition_for(entry.wid, entry.desc)
    _, hi_color = _temp(entry.high, colors.GREY, units_of(ctx, names.WEATHER))
    parts: list[Widget] = [
        name,
        Box(Icon(kind, lay.icon), halign="center"),
        Box(
            _degrees(entry.high, lay.temp_font, hi_color, lay.apart),
            padding=(0, lay.temp_gap, 0, 0),
        ),
        _degrees(entry.low, lay.temp_font, colors.GREY, lay.apart),
    ]
    if lay.pop_font is not None:
        parts.append(Text(_pop(entry.pop), lay.pop_font, RAIN_TEXT, align="center"))
    return Box(Column(parts, cross_align="stretch"), padding=(0, lay.top, 0, 0))


def _row(ctx: PageContext, day: date | None, entry: Day, lay: RowLayout) -> Widget:
    """A list row: day, icon, high over low, rain chance."""
    is_today = day == ctx.now.date()
    color = TODAY if is_today else colors.WHITE
    name = _day_name(ctx, day, entry, lay.name_font, color, align="left")
    name = Box(name, width=lay.name_width, padding=(0, lay.name_drop, 0, 0))
    kind = condition_for(entry.wid, entry.desc)
    units = units_of(ctx, names.WEATHER)
    hi, hi_color = _temp(entry.high, colors.GREY, units)
    lo, _ = _temp(entry.low, colors.GREY, units)
    high = FirstFit([Text(hi, f, hi_color) for f in lay.high_fonts])
    low = Stack(
        [
            Text(lo, lay.low_font, colors.GREY),
            Box(
                Text(_pop(entry.pop), lay.low_font, RAIN_TEXT, align="right"),
                padding=(lay.pop_indent, 0, 0, 0),
            ),
        ],
        halign="stretch",
    )
    readings = Column(
        [Box(high, height=lay.high_height, padding=(0, lay.high_drop, 0, 0)), low],
        cross_align="stretch",
    )
    row = Row([name, Box(Icon(kind, lay.icon), padding=lay.icon_pad), Expand(readings)])
    return Box(row, height=lay.height)


def tree(ctx: PageContext) -> Scene:
    weather = ctx.view("Weather")
    if weather is None:
        return Scene(no_data_tree(ctx, "Forecast"))
    entries = days(ctx, weather)
    if not entries:
        return Scene(notice_tree(ctx, "Forecast", ["no days ahead", "no days"]))
    lay = LAYOUT.for_size(ctx.size)
    if lay.style == "rows" and lay.row is not None:
        rows = [_row(ctx, day, entry, lay.row) for day, entry in entries[: lay.row.count]]
        root: Widget = Column(rows, cross_align="stretch")
    else:
        count = lay.columns or max(1, ctx.width // lay.column_width)
        cells: list[Widget] = [
            Expand(_column(ctx, day, entry, lay)) for day, entry in entries[:count]
        ]
        cells += [Expand(Box()) for _ in range(count - len(cells))]  # the rest stay empty
        root = Row(cells, gap=lay.column_gap, cross_align="stretch")
    # Tomorrow the first day drops off.
    return Scene(root, _to_midnight(ctx))


def _to_midnight(ctx: PageContext) -> float:
    now = ctx.now
    passed = now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
    return max(0.001, 86400 - passed) if now.tzinfo else seconds_to_next(now, 86400)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="forecast", render=render, types=KINDS, title="Forecast")
