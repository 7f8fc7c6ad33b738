"""Clock: the time in large numerals, seconds, weekday and date.

Layouts: 64x32 time over the date; 128x32 big time with a date column;
64x64 weekday, time, date and a seconds bar; 128x64 big time, date, seconds bar.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import canvas, font, layout, seconds_to_next
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
    elif not lay.wide:  # 64x64
        big = font(ctx, "clock")
        medium = font(ctx, "medium")
        text_box(
            image, (0, 5, ctx.width, medium.height), now.strftime("%A"), medium, DAY_COLOR, "center"
        )
        x = (ctx.width - big.width(hm)) // 2
        draw_text(image, (x, 20), hm, big, TIME_COLOR)
        line = f"{seconds} {ampm}".strip()
        text_box(image, (0, 37, ctx.width, small.height), line, small, TIME_COLOR, "center")
        text_box(
            image,
            (0, 49, ctx.width, small.height),
            f"{month} {now.day} {now.year}",
            small,
            DATE_COLOR,
            "center",
        )
        _seconds_bar(image, ctx.height - 2, ctx)
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
