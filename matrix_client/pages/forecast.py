"""Forecast: the coming days with icon, high and low, and the chance of rain.

Reads ``Weather.forecast`` (docs/payloads.md). Days before today are skipped.
Short panels show day columns; 64x64 a list of four days; 128x64 six wide columns.
"""

from __future__ import annotations

import math
from datetime import date

from PIL import Image

from glanceboard.payloads import names
from glanceboard.payloads.weather import Day, Weather
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    compact_degrees,
    degrees,
    finish,
    first_fit,
    font,
    layout,
    no_data,
    notice,
    seconds_to_next,
    text,
    whole,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.icons import condition_for, paste, weather_icon
from matrix_client.render.layout import Box, columns, line_text
from matrix_client.render.text import draw_text

KINDS = (names.WEATHER,)
RAIN_TEXT = (90, 150, 255)
TODAY = colors.AMBER


def days(ctx: PageContext, weather: Weather) -> list[tuple[date | None, Day]]:
    """The forecast days from today on (days without a date are kept)."""
    today = ctx.now.date()
    return [(d.day, d) for d in weather.forecast[:16] if d.day is None or d.day >= today]


def _day_name(ctx: PageContext, day: date | None, entry: Day, fnt: Font, width: int) -> str:
    if day is not None:
        names = ["Today", day.strftime("%a")] if day == ctx.now.date() else [day.strftime("%a")]
        return first_fit(names + [day.strftime("%a")[:2]], fnt, width)
    name = text(entry.name(), 12)
    return first_fit([name, name[:3], name[:2]], fnt, width) if name else PLACEHOLDER


def _temp(value: float | None, fallback: colors.Color) -> tuple[str, colors.Color]:
    n = value
    return degrees(value), (colors.temp_color(n) if n is not None else fallback)


def _pop(value: int | None) -> str:
    pop = whole(value)
    return (
        f"{pop}%"
        if pop is not None and 0 < pop <= 100 and pop != 100
        else ("100" if pop == 100 else "")
    )


def _column(
    image: Image.Image,
    box: Box,
    ctx: PageContext,
    day: date | None,
    entry: Day,
    icon: int,
    name_font: Font,
    temp_font: Font,
    pop_font: Font | None,
) -> None:
    x, y, w, h = box
    is_today = day == ctx.now.date()
    name = _day_name(ctx, day, entry, name_font, w)
    line_text(
        image,
        (x, y, w, name_font.height),
        name,
        name_font,
        TODAY if is_today else colors.WHITE,
        align="center",
    )
    iy = y + name_font.height
    kind = condition_for(entry.wid, entry.desc)
    paste(image, weather_icon(kind, False, icon), (x + (w - icon) // 2, iy))
    ty = iy + icon + 1
    _, hi_color = _temp(entry.high, colors.GREY)
    hi = compact_degrees(entry.high, temp_font, w - 2)  # 2 px apart from the next column
    lo = compact_degrees(entry.low, temp_font, w - 2)
    line_text(image, (x, ty, w, temp_font.height), hi, temp_font, hi_color, align="center")
    line_text(
        image,
        (x, ty + temp_font.height, w, temp_font.height),
        lo,
        temp_font,
        colors.GREY,
        align="center",
    )
    pop = _pop(entry.pop)
    py = ty + 2 * temp_font.height
    if pop_font is not None and pop and py + pop_font.ascent <= y + h:
        line_text(image, (x, py, w, pop_font.height), pop, pop_font, RAIN_TEXT, align="center")


def _row(image: Image.Image, box: Box, ctx: PageContext, day: date | None, entry: Day) -> None:
    """64x64 list row: day, icon, high/low, rain chance."""
    x, y, w, h = box
    small, tiny = font(ctx, "small"), font(ctx, "tiny")
    is_today = day == ctx.now.date()
    name = _day_name(ctx, day, entry, small, 18)
    line_text(image, (x, y + 4, 18, small.height), name, small, TODAY if is_today else colors.WHITE)
    kind = condition_for(entry.wid, entry.desc)
    paste(image, weather_icon(kind, False, 12), (x + 19, y + 2))
    hi, hi_color = _temp(entry.high, colors.GREY)
    lo, _ = _temp(entry.low, colors.GREY)
    hx = x + 33
    used = draw_text(image, (hx, y + 1), hi, small, hi_color) if small.width(hi) <= w - 33 else 0
    if not used:
        line_text(image, (hx, y + 1, w - 33, small.height), hi, tiny, hi_color)
    line_text(image, (hx, y + 9, w - 33, tiny.height), lo, tiny, colors.GREY)
    pop = _pop(entry.pop)
    if pop:
        line_text(image, (hx + 14, y + 9, w - 47, tiny.height), pop, tiny, RAIN_TEXT, align="right")


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    weather = ctx.view("Weather")
    if weather is None:
        return no_data(ctx, "Forecast")
    entries = days(ctx, weather)
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small = font(ctx, "tiny"), font(ctx, "small")
    if not entries:
        image = notice(ctx, "Forecast", ["no days ahead", "no days"])
        return finish(ctx, image, KINDS, math.inf)
    if not lay.tall:
        count = ctx.width // 16
        for box, (day, entry) in zip(columns((0, 0, ctx.width, 32), count), entries, strict=False):
            _column(image, box, ctx, day, entry, 12, tiny, tiny, None)
    elif not lay.wide:
        for i, (day, entry) in enumerate(entries[:4]):
            _row(image, (0, i * 16, ctx.width, 16), ctx, day, entry)
    else:
        for box, (day, entry) in zip(
            columns((0, 0, ctx.width, 64), 6, gap=1), entries, strict=False
        ):
            _column(
                image,
                (box[0], box[1] + 1, box[2], box[3] - 1),
                ctx,
                day,
                entry,
                16,
                small,
                small,
                tiny,
            )
    # Tomorrow the first day drops off.
    return finish(ctx, image, KINDS, _to_midnight(ctx))


def _to_midnight(ctx: PageContext) -> float:
    now = ctx.now
    passed = now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
    return max(0.001, 86400 - passed) if now.tzinfo else seconds_to_next(now, 86400)


PAGE = PageSpec(name="forecast", render=render, types=KINDS, title="Forecast")
