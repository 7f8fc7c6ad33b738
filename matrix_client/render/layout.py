"""Boxes, rows and columns, bars and small marks: the geometry pages are built from.

A box is ``(x, y, w, h)``. Everything here draws inside its box only, so a
page composed of boxes never draws past the panel's edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from PIL import Image, ImageDraw

from matrix_client.render.colors import Color
from matrix_client.render.fonts import Font
from matrix_client.render.text import Align, marquee, text_box

Box = tuple[int, int, int, int]


def inset(box: Box, dx: int, dy: int | None = None) -> Box:
    dy = dx if dy is None else dy
    x, y, w, h = box
    return (x + dx, y + dy, max(0, w - 2 * dx), max(0, h - 2 * dy))


def columns(box: Box, count: int, gap: int = 0) -> list[Box]:
    """``count`` boxes side by side; widths differ by at most one pixel."""
    x, y, w, h = box
    count = max(1, count)
    usable = w - gap * (count - 1)
    out = []
    left = x
    for i in range(count):
        cw = usable * (i + 1) // count - usable * i // count
        out.append((left, y, cw, h))
        left += cw + gap
    return out


def rows(box: Box, heights: Sequence[int], gap: int = 0) -> list[Box]:
    """Boxes stacked from the top with the given heights (clipped to the box)."""
    x, y, w, h = box
    out = []
    top = y
    for height in heights:
        height = max(0, min(height, y + h - top))
        out.append((x, top, w, height))
        top += height + gap
    return out


def fill(image: Image.Image, box: Box, color: Color) -> None:
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return
    if type(color) is tuple and len(color) == 3 and image.mode == "RGB" and not image.readonly:
        # The same pixels as ImageDraw's filled rectangle, clipped alike, without making
        # a Draw per rectangle (widgets fill a box's background on every render).
        left, top = max(0, x), max(0, y)
        right, bottom = min(image.width, x + w), min(image.height, y + h)
        if left < right and top < bottom:
            image.im.paste(color, (left, top, right, bottom))
        return
    ImageDraw.Draw(image).rectangle((x, y, x + w - 1, y + h - 1), fill=color)


def frame(image: Image.Image, box: Box, color: Color) -> None:
    x, y, w, h = box
    if w <= 2 or h <= 2:  # all edge; Pillow's outline of a 1 px box spills a pixel past it
        fill(image, box, color)
    else:
        ImageDraw.Draw(image).rectangle((x, y, x + w - 1, y + h - 1), outline=color)


def hbar(image: Image.Image, box: Box, fraction: float, color: Color, track: Color) -> None:
    """A horizontal gauge: ``fraction`` (0-1) of the box filled, the rest in ``track``."""
    x, y, w, h = box
    fill(image, box, track)
    filled = round(w * min(1.0, max(0.0, fraction)))
    fill(image, (x, y, filled, h), color)


def line_text(
    image: Image.Image,
    box: Box,
    text: str,
    font: Font,
    color: Color,
    *,
    now: datetime | None = None,
    align: Align = "left",
) -> float:
    """One line in a box: scrolled (when ``now`` is given) or shortened if too wide.

    Returns the ttl of what was drawn: inf when still, the next scroll step otherwise.
    """
    x, y, w, h = box
    if w <= 0 or h <= 0 or not text:
        return math.inf
    if now is not None and font.width(text) > w:
        return marquee(image, (x, y, w, min(h, font.height)), text, font, color, now)
    text_box(image, box, text, font, color, align=align)
    return math.inf


def dots(
    image: Image.Image,
    xy: tuple[int, int],
    count: int,
    filled: int,
    size: int,
    on: Color,
    off: Color,
    gap: int = 1,
) -> int:
    """A row of ``count`` squares, the first ``filled`` lit (outs, downs...). Returns width."""
    x, y = xy
    for i in range(count):
        fill(image, (x + i * (size + gap), y, size, size), on if i < filled else off)
    return count * (size + gap) - gap


def diamond(
    image: Image.Image, center: tuple[int, int], radius: int, color: Color, solid: bool
) -> None:
    """A diamond (a base, a marker) drawn pixel by pixel: crisp at every size."""
    cx, cy = center
    px = image.load()
    width, height = image.size
    for dy in range(-radius, radius + 1):
        span = radius - abs(dy)
        for dx in range(-span, span + 1):
            edge = abs(dx) == span
            if solid or edge:
                x, y = cx + dx, cy + dy
                if 0 <= x < width and 0 <= y < height:
                    px[x, y] = color
