"""Clock: the time in large numerals, seconds, weekday and date.

Layouts: 64x32 time over the date; 128x32 big time with a date column;
64x64 an analog face over the time and date; 128x64 big time, date, seconds bar.
"""

from __future__ import annotations

import math
from datetime import datetime

from PIL import Image, ImageDraw

from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import canvas, font, layout, seconds_to_next, with_aware_times
from matrix_client.render import colors
from matrix_client.render.text import draw_text, text_box

TIME_COLOR = colors.AMBER
DATE_COLOR = colors.CYAN
DAY_COLOR = colors.WHITE


def _hm(ctx: PageContext) -> tuple[str, str]:
    """('9:41', 'PM') in 12-hour mode, ('21:41', '') in 24-hour mode."""
    now = ctx.now
    if ctx.settings.clock_24h:
        return f"{now.hour:02d}:{now.minute:02d}", ""
    hour = now.hour % 12 or 12
    return f"{hour}:{now.minute:02d}", "AM" if now.hour < 12 else "PM"


def _seconds_bar(image: Image.Image, y: int, ctx: PageContext) -> None:
    """A 1-px bar across the panel that fills as the minute passes."""
    draw = ImageDraw.Draw(image)
    draw.line([(0, y), (ctx.width - 1, y)], fill=colors.dimmed(colors.DIM, 0.6))
    filled = (ctx.width * ctx.now.second) // 60
    if filled:
        draw.line([(0, y), (filled - 1, y)], fill=colors.dimmed(TIME_COLOR, 0.7))


def _hand(
    draw: ImageDraw.ImageDraw,
    center: tuple[int, int],
    turns: float,
    length: float,
    color: colors.Color,
    width: int = 1,
) -> None:
    angle = 2 * math.pi * turns - math.pi / 2  # 0 turns = 12 o'clock
    end = (round(center[0] + math.cos(angle) * length), round(center[1] + math.sin(angle) * length))
    draw.line([center, end], fill=color, width=width)


def _face(image: Image.Image, center: tuple[int, int], radius: int, now: datetime) -> None:
    """An analog face: minute dots, hour ticks, hour/minute/second hands, a hub."""
    draw = ImageDraw.Draw(image)
    cx, cy = center
    for minute in range(60):
        angle = 2 * math.pi * minute / 60 - math.pi / 2
        if minute % 5:
            x = round(cx + math.cos(angle) * radius)
            y = round(cy + math.sin(angle) * radius)
            draw.point((x, y), fill=colors.DIM)
        else:
            inner, outer = radius - (3 if minute % 15 == 0 else 2), radius
            draw.line(
                [
                    (round(cx + math.cos(angle) * inner), round(cy + math.sin(angle) * inner)),
                    (round(cx + math.cos(angle) * outer), round(cy + math.sin(angle) * outer)),
                ],
                fill=TIME_COLOR if minute % 15 == 0 else colors.dimmed(TIME_COLOR, 0.6),
            )
    minutes = now.minute + now.second / 60
    _hand(draw, center, ((now.hour % 12) + minutes / 60) / 12, radius * 0.5, colors.WHITE, 2)
    _hand(draw, center, minutes / 60, radius * 0.8, colors.WHITE)
    _hand(draw, center, now.second / 60, radius * 0.85, colors.RED)
    draw.rectangle((cx - 1, cy - 1, cx, cy), fill=TIME_COLOR)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    image = canvas(ctx)
    lay = layout(ctx)
    now = ctx.now
    hm, ampm = _hm(ctx)
    seconds = f"{now.second:02d}"
    small, tiny = font(ctx, "small"), font(ctx, "tiny")
    weekday, month = now.strftime("%a"), now.strftime("%b")
    date = f"{weekday} {month} {now.day}"

    if not lay.tall and not lay.wide:  # 64x32
        big = font(ctx, "clock")
        side = max(small.width(seconds), tiny.width(ampm))
        total = big.width(hm) + 2 + side
        x = max(0, (ctx.width - total) // 2)
        y = 2
        draw_text(image, (x, y), hm, big, TIME_COLOR)
        sx = x + big.width(hm) + 2
        if ampm:
            draw_text(image, (sx, y), ampm, tiny, colors.dimmed(TIME_COLOR, 0.7))
        draw_text(image, (sx, y + big.height - small.height + 1), seconds, small, TIME_COLOR)
        text_box(image, (0, 21, ctx.width, small.height), date, small, DATE_COLOR, "center")
    elif not lay.tall:  # 128x32
        big = font(ctx, "clock_large")
        x, y = 3, (ctx.height - big.height) // 2
        draw_text(image, (x, y), hm, big, TIME_COLOR)
        cx = x + big.width(hm) + 4
        cw = ctx.width - cx - 1
        text_box(image, (cx, 3, cw, small.height), f"{seconds} {ampm}".strip(), small, TIME_COLOR)
        text_box(image, (cx, 13, cw, small.height), now.strftime("%A"), small, DAY_COLOR)
        text_box(image, (cx, 22, cw, small.height), f"{month} {now.day}", small, DATE_COLOR)
    elif not lay.wide:  # 64x64: a square panel gets a clock face
        _face(image, (32, 24), 23, now)
        line = f"{hm} {ampm}".strip()
        text_box(image, (0, 49, ctx.width, small.height), line, small, TIME_COLOR, "center")
        text_box(image, (0, 58, ctx.width, tiny.height), date, tiny, DATE_COLOR, "center")
    else:  # 128x64
        big = font(ctx, "clock_large")
        medium = font(ctx, "medium")
        side = max(medium.width(seconds), small.width(ampm))
        total = big.width(hm) + 4 + side
        x = max(0, (ctx.width - total) // 2)
        y = 6
        draw_text(image, (x, y), hm, big, TIME_COLOR)
        sx = x + big.width(hm) + 4
        if ampm:
            draw_text(image, (sx, y + 1), ampm, small, colors.dimmed(TIME_COLOR, 0.7))
        draw_text(image, (sx, y + big.height - medium.ascent), seconds, medium, TIME_COLOR)
        line = f"{now.strftime('%A')} {month} {now.day}"
        text_box(image, (0, 42, ctx.width, medium.height), line, medium, DATE_COLOR, "center")
        _seconds_bar(image, ctx.height - 3, ctx)
    return PageFrame(image, seconds_to_next(now, 1.0))


PAGE = PageSpec(name="clock", render=render, types=(), title="Clock")
