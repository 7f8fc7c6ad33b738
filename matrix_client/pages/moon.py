"""Moon: the disc drawn from the phase, its name, the lit fraction, and the
next sun and moon events.

Reads ``Moon`` (docs/payloads.md): ``phase`` 0-99 (0 new, 50 full), ``illumstr``
("62.3%"), ``sunevent``/``moonevent`` ("Sunset:   04:31 PM"). The lit
fraction shown is the producer's when readable, else computed from the phase.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from glanceboard.payloads import names
from glanceboard.payloads.moon import Moon
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    finish,
    first_fit,
    font,
    layout,
    no_data,
    text,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.icons import lit_fraction, moon_image, paste
from matrix_client.render.layout import line_text

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


def _arrow(image: Image.Image, x: int, y: int, up: bool | None, color: colors.Color) -> int:
    """A 5x3 triangle pointing up (rise) or down (set); a dot when unknown. Returns width."""
    draw = ImageDraw.Draw(image)
    if up is None:
        draw.point((x + 2, y + 1), fill=color)
    elif up:
        draw.polygon([(x, y + 2), (x + 4, y + 2), (x + 2, y)], fill=color)
    else:
        draw.polygon([(x, y), (x + 4, y), (x + 2, y + 2)], fill=color)
    return 6


def _event_line(
    image: Image.Image,
    box: tuple[int, int, int, int],
    value: str | None,
    color: colors.Color,
    ctx: PageContext,
    with_label: bool,
) -> float:
    x, y, w, h = box
    label, when, rising = event(value)
    fnt = font(ctx, "small") if h >= 8 else font(ctx, "tiny")
    ay = y + max(0, (fnt.ascent - 3) // 2)
    used = _arrow(image, x, ay, rising, color)
    compact = when.replace(" PM", "p").replace(" AM", "a")
    shown = f"{label} {when}" if with_label and label else when
    shown = first_fit([shown, when, compact], fnt, w - used - 2)  # keep a gap to the next
    return line_text(image, (x + used, y, w - used, fnt.height), shown, fnt, color, now=ctx.now)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    values = ctx.view("Moon")
    if values is None:
        return no_data(ctx, "Moon")
    image = canvas(ctx)
    lay = layout(ctx)
    phase = phase_of(values)
    name, short = phase_name(phase) if phase is not None else ("Phase unknown", PLACEHOLDER)
    lit = illumination(values, phase)
    sun, moon = values.sunevent, values.moonevent
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W = ctx.width
    ttl = math.inf

    def disc(size: int, xy: tuple[int, int]) -> None:
        if phase is None:
            ImageDraw.Draw(image).ellipse(
                (xy[0], xy[1], xy[0] + size - 1, xy[1] + size - 1), outline=colors.DIM
            )
        else:
            paste(image, moon_image(phase, size), xy)

    if not lay.tall and not lay.wide:  # 64x32
        disc(28, (2, 2))
        x = 33
        line_text(image, (x, 1, W - x, 8), lit, small, colors.WHITE)
        line_text(image, (x, 9, W - x, 6), short, tiny, colors.GREY)
        ttl = min(ttl, _event_line(image, (x, 17, W - x, 6), sun, SUN_COLOR, ctx, False))
        ttl = min(ttl, _event_line(image, (x, 25, W - x, 6), moon, MOON_COLOR, ctx, False))
    elif not lay.tall:  # 128x32
        disc(30, (2, 1))
        x = 38
        line_text(
            image, (x, 1, W - x, 8), first_fit([name, short], small, W - x), small, colors.WHITE
        )
        line_text(image, (x, 10, W - x, 8), f"{lit} lit", small, colors.GREY)
        half = (W - x) // 2
        ttl = min(ttl, _event_line(image, (x, 22, half, 8), sun, SUN_COLOR, ctx, False))
        ttl = min(
            ttl, _event_line(image, (x + half, 22, W - x - half, 8), moon, MOON_COLOR, ctx, False)
        )
    elif not lay.wide:  # 64x64
        disc(34, (15, 1))
        line_text(
            image,
            (0, 37, W, 8),
            first_fit([name, short], small, W),
            small,
            colors.WHITE,
            align="center",
        )
        line_text(image, (0, 45, W, 6), f"{lit} lit", tiny, colors.GREY, align="center")
        half = W // 2
        ttl = min(ttl, _event_line(image, (0, 55, half, 6), sun, SUN_COLOR, ctx, False))
        ttl = min(ttl, _event_line(image, (half, 55, W - half, 6), moon, MOON_COLOR, ctx, False))
    else:  # 128x64
        disc(58, (3, 3))
        x = 66
        words = name.split(" ", 1)
        line_text(image, (x, 2, W - x, 10), words[0], medium, colors.WHITE)
        if len(words) > 1:
            line_text(image, (x, 12, W - x, 10), words[1], medium, colors.WHITE)
        line_text(image, (x, 25, W - x, 8), f"{lit} lit", small, colors.GREY)
        ttl = min(ttl, _event_line(image, (x, 39, W - x, 8), sun, SUN_COLOR, ctx, True))
        ttl = min(ttl, _event_line(image, (x, 51, W - x, 8), moon, MOON_COLOR, ctx, True))
    return finish(ctx, image, KINDS, ttl)


PAGE = PageSpec(name="moon", render=render, types=KINDS, title="Moon")
