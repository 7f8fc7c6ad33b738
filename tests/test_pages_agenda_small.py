"""The calendar and events pages on 64 px wide panels: the strip's day numbers stand
apart, and a title longer than its line is shown whole over time (a marquee) rather
than cut to its first characters."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw

from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.common import font
from matrix_client.pages.samples import context
from matrix_client.render import colors
from matrix_client.render.text import MARQUEE_GAP, MARQUEE_PAUSE, MARQUEE_SPEED

Pixels = frozenset[tuple[int, int]]


def _lit(image: Image.Image, color: tuple[int, int, int]) -> Pixels:
    w, h = image.size
    return frozenset((x, y) for y in range(h) for x in range(w) if image.getpixel((x, y)) == color)


def _glyphs(ctx: PageContext, role: str, text: str) -> Pixels:
    """The ink of ``text`` in the page's font ``role``, moved to start at (0, 0)."""
    fnt = font(ctx, role)
    canvas = Image.new("1", (fnt.advance(text) + 8, fnt.height + 8))
    ImageDraw.Draw(canvas).text((0, 0), text, font=fnt.pil, fill=1)
    ink = {(x, y) for y in range(canvas.height) for x in range(canvas.width)
           if canvas.getpixel((x, y))}
    left, top = min(x for x, _ in ink), min(y for _, y in ink)
    return frozenset((x - left, y - top) for x, y in ink)


def _shows(lit: Pixels, word: Pixels) -> bool:
    """Whether ``word`` is drawn whole somewhere among the ``lit`` pixels, nothing else lit
    inside its box."""
    w = max(x for x, _ in word) + 1
    h = max(y for _, y in word) + 1
    anchor = min(word, key=lambda p: (p[1], p[0]))  # the first ink pixel of the top row
    for x0, y0 in lit:
        dx, dy = x0 - anchor[0], y0 - anchor[1]
        if not all((x + dx, y + dy) in lit for x, y in word):
            continue
        box = {(x, y) for x in range(dx, dx + w) for y in range(dy, dy + h) if (x, y) in lit}
        if len(box) == len(word):
            return True
    return False


def _over_a_scroll(page: str, size: tuple[int, int], text: str, role: str) -> list[Image.Image]:
    """The page's frames every marquee step for one whole scroll of ``text``."""
    ctx = context("", size)
    travel = font(ctx, role).width(text) + MARQUEE_GAP
    steps = int((MARQUEE_PAUSE + travel / MARQUEE_SPEED) * MARQUEE_SPEED) + 1
    moments = [ctx.now + timedelta(seconds=k / MARQUEE_SPEED) for k in range(steps)]
    return [get_page(page).render(dataclasses.replace(ctx, now=t)).image for t in moments]


@pytest.mark.parametrize("size", [(64, 32), (64, 64)])
def test_the_strips_day_numbers_stand_apart(size: tuple[int, int]) -> None:
    image = get_page("calendar").render(context("", size)).image
    # The number row of the strip (under the one-letter names): its bright columns.
    bright = [
        any(max(image.getpixel((x, y))) > 120 for y in range(6, 11)) for x in range(size[0])
    ]
    numbers: list[int] = []
    dark = 99
    for x, lit in enumerate(bright):
        if lit:
            if dark >= 3:  # a new number: digits of one number are 1 px apart
                numbers.append(x)
            dark = 0
        else:
            dark += 1
    widths = [b - a for a, b in zip(numbers, numbers[1:], strict=False)]
    assert len(numbers) >= 5, f"numbers start at columns {numbers}: they run together"
    assert min(widths) >= 10, f"numbers start at columns {numbers}"


def test_a_long_calendar_summary_is_shown_whole_over_time_at_64x32() -> None:
    ctx = context("", (64, 32))
    whole = {"Thanksgiving": False, "dinner": False}
    words = {word: _glyphs(ctx, "tiny", word) for word in whole}
    seen_moving: set[Pixels] = set()
    for frame in _over_a_scroll("calendar", (64, 32), "Thanksgiving dinner", "tiny"):
        lit = _lit(frame, colors.WHITE)
        seen_moving.add(lit)
        for word, ink in words.items():
            whole[word] = whole[word] or _shows(lit, ink)
    assert all(whole.values()), f"over a whole scroll, words shown whole: {whole}"
    assert len(seen_moving) > 10


def test_the_next_events_title_is_shown_whole_over_time_at_64x32() -> None:
    ctx = context("", (64, 32))
    whole = {"Grandma's": False, "birthday": False}
    words = {word: _glyphs(ctx, "small", word) for word in whole}
    for frame in _over_a_scroll("events", (64, 32), "Grandma's birthday", "small"):
        lit = _lit(frame, colors.WHITE)
        for word, ink in words.items():
            whole[word] = whole[word] or _shows(lit, ink)
    assert all(whole.values()), f"over a whole scroll, words shown whole: {whole}"
