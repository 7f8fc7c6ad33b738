"""Text on the panel: measuring, shortening, aligning and scrolling.

Text is never cut through a glyph: what does not fit is shortened at a glyph
boundary (with ".." when there is room) or scrolled as a marquee whose offset
comes from the clock, so pages stay pure functions of time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw

from matrix_client.render.fonts import Font

Color = tuple[int, int, int]
Align = Literal["left", "center", "right"]

ELLIPSIS = ".."
# Characters producers commonly send that Latin-1 bitmap fonts lack.
_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)


def clean(text: object, limit: int = 400) -> str:
    """Any value -> a short single line the bitmap fonts can draw (Latin-1, no controls)."""
    if (
        type(text) is str
        and len(text) <= limit
        and text.isprintable()
        and (text.isascii() or max(text) <= "\xff")
    ):
        return text.strip()  # the common case, first: nothing to cut, replace or drop
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[: limit * 2]
    if text.isascii() and text.isprintable():
        return text[:limit].strip()  # the common case: nothing to replace or drop
    text = text.translate(_REPLACEMENTS)
    out = []
    for ch in text:
        code = ord(ch)
        if code < 32 or 127 <= code < 160:
            continue
        out.append(ch if code < 256 else "?")
    return "".join(out)[:limit].strip()


def shorten(text: str, font: Font, width: int, ellipsis: str = ELLIPSIS) -> str:
    """The longest prefix of ``text`` that fits ``width`` px, ending in ``ellipsis`` if cut."""
    if font.width(text) <= width:
        return text
    mark = ellipsis if font.width(ellipsis) < width else ""
    lo, hi = 0, len(text)
    while lo < hi:  # binary search on the prefix length: widths only grow
        mid = (lo + hi + 1) // 2
        if font.width(text[:mid] + mark) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + mark if lo else (mark if font.width(mark) <= width else "")


def draw_text(
    image: Image.Image,
    xy: tuple[int, int],
    text: str,
    font: Font,
    color: Color,
) -> int:
    """Draw one line with its top-left (ascent top) at ``xy``; returns the advance width."""
    if not text:
        return 0
    draw = ImageDraw.Draw(image)
    x, y = xy
    # Pillow places a bitmap font's line so that the tallest glyph top lands at y;
    # our fonts' ascent box is the line box, so the coordinates agree.
    draw.text((x, y), text, font=font.pil, fill=color)
    return font.width(text)


def text_box(
    image: Image.Image,
    box: tuple[int, int, int, int],
    text: str,
    font: Font,
    color: Color,
    align: Align = "left",
    valign: Literal["top", "middle", "bottom"] = "top",
) -> int:
    """Draw ``text`` inside ``box`` (x, y, w, h), shortened to fit; returns the width drawn."""
    x, y, w, h = box
    if w <= 0 or h < font.height - font.descent:
        return 0
    mask, tw = box_mask(text, font, w, h, align, valign)
    if mask is not None:
        paint_through(image, color, (x, y, x + w, y + h), mask)
    return tw


def paint_through(
    image: Image.Image, color: Color, box: tuple[int, int, int, int], mask: Image.Image
) -> None:
    """``image.paste(color, box, mask)`` for a mask made here (loaded, same size as the
    box): Pillow's argument checks and loads cost more than the paste of a label's
    glyphs, and a page pastes dozens a render. A read-only image (Pillow copies it
    first) or a colour by name takes Pillow's path."""
    if image.readonly or type(color) is not tuple:
        image.paste(color, box, mask)
    else:
        image.im.paste(color, box, mask.im)


# Pages draw mostly the same labels on every render (a marquee re-renders its page up to
# 20 times a second): the shortened, placed glyphs of a box are kept. Masks are at most a
# panel's size in bytes, so the cache stays under a few MB.
@lru_cache(maxsize=256)
def box_mask(
    text: str, font: Font, w: int, h: int, align: Align, valign: str
) -> tuple[Image.Image | None, int]:
    """The glyph mask of ``text`` placed in a w x h box, and the width drawn."""
    shown = shorten(text, font, w)
    tw = font.width(shown)
    x = {"center": (w - tw) // 2, "right": w - tw}.get(align, 0)
    y = {"middle": max(0, (h - font.height) // 2), "bottom": max(0, h - font.height)}.get(valign, 0)
    return (_glyph_mask(shown, font, (w, h), [(x, y)]) if shown else None), tw


def _glyph_mask(
    text: str, font: Font, size: tuple[int, int], origins: Sequence[tuple[int, int]]
) -> Image.Image:
    """``text`` drawn at each origin on a mask of ``size``, clipped to it so a glyph overhang
    never spills into a neighbour. Callers paste their colour through the mask: one text
    pass instead of two (bitmap fonts' masks are 0 or 255, so the pixels are the same)."""
    mask = Image.new("L", size)
    draw = ImageDraw.Draw(mask)
    for origin in origins:
        draw.text(origin, text, font=font.pil, fill=255)
    return mask


MARQUEE_SPEED = 12.0  # pixels per second: readable on a 64 px panel
MARQUEE_PAUSE = 2.0  # seconds the start of the text rests before scrolling
MARQUEE_GAP = 16  # pixels between the end of the text and its next start


def marquee_offset(
    text_width: int, box_width: int, now: datetime, speed: float = MARQUEE_SPEED
) -> tuple[int, float]:
    """Scroll position (px) for text wider than its box at ``now``, and seconds to the next step.

    The cycle is: rest at the start, then scroll left until the text's start
    comes back. Derived from the wall clock only, so the same ``now`` always
    gives the same picture.
    """
    if text_width <= box_width:
        return 0, math.inf
    travel = text_width + MARQUEE_GAP
    period = MARQUEE_PAUSE + travel / speed
    t = now.timestamp() % period
    if t < MARQUEE_PAUSE:
        return 0, MARQUEE_PAUSE - t
    moved = (t - MARQUEE_PAUSE) * speed
    step = int(moved)
    return step % travel, max(0.001, (step + 1 - moved) / speed)


def marquee(
    image: Image.Image,
    box: tuple[int, int, int, int],
    text: str,
    font: Font,
    color: Color,
    now: datetime,
    align: Align = "left",
) -> float:
    """Draw ``text`` in ``box``: still if it fits, scrolling if not. Returns its ttl."""
    x, y, w, h = box
    tw = font.width(text)
    if tw <= w:
        text_box(image, box, text, font, color, align=align)
        return math.inf
    return scroll_step(image, box, glyph_strip(text, font), tw, color, now)


def scroll_step(
    image: Image.Image,
    box: tuple[int, int, int, int],
    strip: Image.Image,
    text_width: int,
    color: Color,
    now: datetime,
) -> float:
    """One frame of a marquee too wide for ``box``: its glyph strip (see glyph_strip)
    at the clock's offset, twice where the end and the next start are both in view."""
    x, y, w, h = box
    offset, ttl = marquee_offset(text_width, w, now)
    height = min(h, strip.height)
    strip_width = strip.width
    for start in (-offset, -offset + text_width + MARQUEE_GAP):
        left, right = max(0, start), min(w, start + strip_width)
        if left < right:  # the part of this copy of the text inside the box
            part = strip.crop((left - start, 0, right - start, height))
            paint_through(image, color, (x + left, y, x + right, y + height), part)
    return ttl


# A marquee draws the same text at a new offset on every step (up to 12 a second):
# its glyph run is rendered once and cropped at each offset. A strip is one byte a
# pixel, its advance wide and a line high: about 3 KB for 60 characters in the 5x7
# font; 16 strips stay under 50 KB typically and 2.5 MB at worst (400 characters in
# the largest clock font).
@lru_cache(maxsize=16)
def glyph_strip(text: str, font: Font) -> Image.Image:
    """The glyph mask of the whole of ``text``, as draw.text would place it at (0, 0)."""
    width = font.pil.getmask(text).size[0]  # the run's own width: no glyph is cut
    return _glyph_mask(text, font, (max(1, width), font.height), [(0, 0)])


def wrap(text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one shortened if cut.

    Words wider than a line are shortened rather than split through a glyph run.
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if font.width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join([current, *words[i + 1 :]])
            break
    if current:
        lines.append(current)
    lines = lines[:max_lines]
    return [shorten(line, font, width) for line in lines]
