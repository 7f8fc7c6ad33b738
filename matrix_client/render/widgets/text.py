"""Text: one line (or a few wrapped lines) in a font, colour and alignment.

The glyph work is the text helpers' (render/text.py): what does not fit is
shortened at a glyph boundary with "..", or scrolls when ``scroll`` is set
(see marquee.py); a box lower than the font's ascent shows nothing rather
than half a line. Any value is accepted as content and cleaned to what the
bitmap fonts can draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from PIL import Image

from matrix_client.render.colors import WHITE, Color
from matrix_client.render.fonts import Font
from matrix_client.render.text import (
    Align,
    box_mask,
    clean,
    glyph_strip,
    marquee,
    paint_through,
    scroll_step,
    shorten,
    text_box,
    wrap,
)
from matrix_client.render.widgets.base import Env, Rect, Size, Widget

VAlign = Literal["top", "middle", "bottom"]


@dataclass(eq=False)
class Text(Widget):
    """``content`` in ``font`` (a role name or a loaded Font). ``align``/``valign`` place
    it in a box wider or taller than itself; ``lines`` > 1 wraps on word boundaries."""

    content: object
    font: str | Font = "small"
    color: Color = WHITE
    align: Align = "left"
    valign: VAlign = "top"
    scroll: bool = False
    lines: int = 1
    line_gap: int = 1

    def __post_init__(self) -> None:
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"Text align: {self.align!r} is not left, center or right")
        if self.valign not in ("top", "middle", "bottom"):
            raise ValueError(f"Text valign: {self.valign!r} is not top, middle or bottom")
        self.shown = clean(self.content)

    def _line_count(self, font: Font, height: int) -> int:
        """How many whole lines of ``font`` fit ``height`` px (at most ``lines``)."""
        pitch = font.height + max(0, self.line_gap)
        return min(max(1, self.lines), (height + max(0, self.line_gap)) // pitch)

    def _wrapped(self, font: Font, room: Size) -> list[str]:
        return wrap(self.shown, font, room[0], self._line_count(font, room[1]))

    def measure(self, room: Size, env: Env) -> Size:
        font = env.font(self.font)
        text = self.shown
        if not text or room[1] < font.height - font.descent:
            return 0, 0
        if self.lines > 1 and self._line_count(font, room[1]) > 1:
            lines = self._wrapped(font, room)
            width = max((font.width(line) for line in lines), default=0)
            return width, len(lines) * font.height + (len(lines) - 1) * max(0, self.line_gap)
        width = font.width(text)
        if width <= room[0]:
            return width, font.height
        if self.scroll:
            return room[0], font.height
        return font.width(shorten(text, font, room[0])), font.height

    def _one_line(self, font: Font, h: int) -> bool:
        return self.lines <= 1 or self._line_count(font, h) <= 1

    def _drop(self, font: Font, h: int, count: int) -> int:
        """How far ``count`` lines sit below the top of a box ``h`` px high (valign)."""
        block = count * font.height + (count - 1) * max(0, self.line_gap)
        if self.valign == "top" or h <= block:
            return 0
        return (h - block) // 2 if self.valign == "middle" else h - block

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        font = env.font(self.font)
        x, y, w, h = box
        shown = self.shown
        if not shown or w <= 0 or h < font.height - font.descent:
            return math.inf  # a stretched box can be lower than the line: no half glyphs
        if self._one_line(font, h):
            drop = self._drop(font, h, 1)
            if self.scroll and font.width(shown) > w:
                return marquee(
                    image, (x, y + drop, w, min(h - drop, font.height)), shown, font,
                    self.color, env.now,
                )
            # text_box's work for the one line, without its checks: the box is known
            # to hold the line (drop is 0 unless the box is taller than the line).
            mask, _ = box_mask(shown, font, w, h - drop, self.align, "top")
            if mask is not None:
                paint_through(image, self.color, (x, y + drop, x + w, y + h), mask)
            return math.inf
        lines = self._wrapped(font, (w, h))
        top = y + self._drop(font, h, len(lines))
        for line in lines:
            text_box(image, (x, top, w, font.height), line, font, self.color, align=self.align)
            top += font.height + max(0, self.line_gap)
        return math.inf

    def scroller(self, box: Rect, env: Env) -> Scroll | None:
        """For a text that scrolls in ``box`` (one line, wider than the box): what paints
        it at a given time, the same as ``paint`` would. None for a text that stands still
        there, whose picture is then a function of its fields and box alone."""
        font = env.font(self.font)
        x, y, w, h = box
        if not self.scroll or not self.shown or w <= 0 or h < font.height - font.descent:
            return None
        if not self._one_line(font, h):
            return None
        width = font.width(self.shown)
        drop = self._drop(font, h, 1)
        if width <= w or h - drop <= 0:
            return None
        line = (x, y + drop, w, min(h - drop, font.height))  # as line_text hands it on
        return Scroll(line, glyph_strip(self.shown, font), width, self.color)


@dataclass(frozen=True)
class Scroll:
    """A scrolling line ready to paint at any time: its box, glyph strip and colour."""

    box: Rect
    strip: Image.Image
    text_width: int
    color: Color

    def __call__(self, image: Image.Image, now: datetime) -> float:
        return scroll_step(image, self.box, self.strip, self.text_width, self.color, now)

    @property
    def nbytes(self) -> int:
        return self.strip.width * self.strip.height
