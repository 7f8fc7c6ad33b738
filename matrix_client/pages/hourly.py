"""Hourly weather: the coming hours as columns (hour, icon, temperature, rain chance),
and on 128x64 a 24-hour temperature curve over rain-chance bars.

Reads ``Weather.hourly`` (docs/payloads.md). Hours already past are skipped,
so a message from earlier in the day still starts at the current hour.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from PIL import Image, ImageDraw

from glanceboard.payloads import names
from glanceboard.payloads.weather import Hour, Weather
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    compact_degrees,
    degrees,
    finish,
    font,
    hour_label,
    layout,
    local,
    no_data,
    notice,
    seconds_to_next,
    whole,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.icons import condition_for, paste, weather_icon
from matrix_client.render.layout import Box, columns, line_text

KINDS = (names.WEATHER,)
RAIN_TEXT = (90, 150, 255)


def upcoming(ctx: PageContext, weather: Weather) -> list[tuple[datetime | None, Hour]]:
    """(local start, hour) for the hours not yet over; hours without a time are kept."""
    out: list[tuple[datetime | None, Hour]] = []
    for hour in weather.hourly[:96]:
        start = local(hour.time, ctx) if hour.time is not None else None
        if start is not None and start + timedelta(hours=1) <= ctx.now:
            continue
        out.append((start, hour))
    return out


def _pop_text(value: int | None) -> str:
    pop = whole(value)
    if pop is None or not 0 <= pop <= 100:
        return ""
    return "100" if pop == 100 else f"{pop}%"


def _column(
    image: Image.Image,
    box: Box,
    ctx: PageContext,
    start: datetime | None,
    entry: Hour,
    icon: int,
    label_font: Font,
    temp_font: Font,
) -> None:
    x, y, w, h = box
    label = hour_label(start, ctx) if start else PLACEHOLDER
    line_text(image, (x, y, w, label_font.height), label, label_font, colors.GREY, align="center")
    kind = condition_for(entry.wid, entry.desc)
    iy = y + label_font.height
    paste(image, weather_icon(kind, entry.night is True, icon), (x + (w - icon) // 2, iy))
    ty = iy + icon + 1
    temp = entry.temp
    n = temp
    color = colors.temp_color(n) if n is not None else colors.GREY
    shown = compact_degrees(temp, temp_font, w - 2)  # 2 px apart from the next column
    line_text(image, (x, ty, w, temp_font.height), shown, temp_font, color, align="center")
    pop = _pop_text(entry.pop)
    py = ty + temp_font.height
    if pop and py + label_font.height - label_font.descent <= y + h:
        line_text(image, (x, py, w, label_font.height), pop, label_font, RAIN_TEXT, align="center")


def _curve(
    image: Image.Image, box: Box, hours: list[tuple[datetime | None, Hour]], ctx: PageContext
) -> None:
    """Temperature as a line over rain-chance bars, one step per hour."""
    x, y, w, h = box
    tiny = font(ctx, "tiny")
    temps = [e.temp for _, e in hours]
    known = [t for t in temps if t is not None and -199 <= t <= 199]
    if len(known) < 2:
        line_text(image, box, "no temperatures", tiny, colors.GREY, align="center")
        return
    lo, hi = min(known), max(known)
    label_w = max(tiny.width(degrees(hi)), tiny.width(degrees(lo))) + 2
    gx, gw = x + label_w, w - label_w
    step = max(1, gw // max(1, len(hours)))
    draw = ImageDraw.Draw(image)
    span = max(1.0, hi - lo)
    plot_top, plot_h = y + 1, h - 2
    for i, (_, entry) in enumerate(hours):
        pop = whole(entry.pop)
        if pop is not None and 0 < pop <= 100:
            bar = max(1, round(plot_h * pop / 100 * 0.6))
            x0 = gx + i * step
            draw.rectangle(
                (x0, y + h - bar, x0 + step - 2, y + h - 1), fill=colors.dimmed(RAIN_TEXT, 0.45)
            )
    points = []
    for i, t in enumerate(temps):
        if t is None or not -199 <= t <= 199:
            continue
        py = plot_top + round((hi - t) / span * (plot_h - 1))
        points.append((gx + i * step + step // 2, py, t))
    for (x0, y0, t0), (x1, y1, _) in zip(points, points[1:], strict=False):
        draw.line([(x0, y0), (x1, y1)], fill=colors.temp_color(t0))
    line_text(image, (x, plot_top, label_w, 6), degrees(hi), tiny, colors.temp_color(hi))
    line_text(image, (x, y + h - 6, label_w, 6), degrees(lo), tiny, colors.temp_color(lo))
    # Midnight marks: a dim tick where the day changes.
    for i, (start, _) in enumerate(hours):
        if start is not None and start.hour == 0 and i:
            draw.line([(gx + i * step, y), (gx + i * step, y + 2)], fill=colors.DIM)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    weather = ctx.view("Weather")
    if weather is None:
        return no_data(ctx, "Hourly")
    hours = upcoming(ctx, weather)
    image = canvas(ctx)
    lay = layout(ctx)
    tiny = font(ctx, "tiny")
    if not hours:
        image = notice(ctx, "Hourly", ["no hours ahead", "no hours"])
        return finish(ctx, image, KINDS, math.inf)
    count = ctx.width // 16
    if not lay.tall:
        for box, (start, entry) in zip(columns((0, 0, ctx.width, 32), count), hours, strict=False):
            _column(image, box, ctx, start, entry, 12, tiny, tiny)
    elif not lay.wide:
        shown = hours[: count * 2]
        for row in range(2):
            part = shown[row * count : (row + 1) * count]
            for box, (start, entry) in zip(
                columns((0, row * 32, ctx.width, 32), count), part, strict=False
            ):
                _column(image, box, ctx, start, entry, 12, tiny, tiny)
    else:
        for box, (start, entry) in zip(columns((0, 0, ctx.width, 32), count), hours, strict=False):
            _column(image, box, ctx, start, entry, 12, tiny, tiny)
        _curve(image, (0, 34, ctx.width, 29), hours[:24], ctx)
    # The first column drops off when the hour ends.
    return finish(ctx, image, KINDS, seconds_to_next(ctx.now, 3600))


PAGE = PageSpec(name="hourly", render=render, types=KINDS, title="Hourly")
