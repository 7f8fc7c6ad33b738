"""Text on the panel: measuring, shortening, aligning and scrolling.

Text is never cut through a glyph: what does not fit is shortened at a glyph
boundary (with ".." when there is room) or scrolled as a marquee whose offset
comes from the clock, so pages stay pure functions of time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
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
    shown = shorten(text, font, w)
    tw = font.width(shown)
    if align == "center":
        x += (w - tw) // 2
    elif align == "right":
        x += w - tw
    if valign == "middle":
        y += max(0, (h - font.height) // 2)
    elif valign == "bottom":
        y += max(0, h - font.height)
    if shown:
        _clipped(image, box, shown, font, color, [(x - box[0], y - box[1])])
    return tw


def _clipped(
    image: Image.Image,
    box: tuple[int, int, int, int],
    text: str,
    font: Font,
    color: Color,
    origins: Sequence[tuple[int, int]],
) -> None:
    """Draw ``text`` at each origin (relative to the box), clipped to the box so a glyph
    overhang never spills into a neighbour. The glyphs go onto a mask of the box and the
    colour is pasted through it: one text pass (bitmap fonts' masks are 0 or 255)."""
    x, y, w, h = box
    mask = Image.new("L", (w, h))
    draw = ImageDraw.Draw(mask)
    for origin in origins:
        draw.text(origin, text, font=font.pil, fill=255)
    image.paste(color, (x, y, x + w, y + h), mask)


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
    offset, ttl = marquee_offset(tw, w, now)
    starts = [start for start in (-offset, -offset + tw + MARQUEE_GAP) if start < w]
    _clipped(image, box, text, font, color, [(start, 0) for start in starts])
    return ttl


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
