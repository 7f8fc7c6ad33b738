"""ScoreLine: one row of a scoreboard, a name at the left (with an optional mark
right after it) and a score right-aligned in a column of its own.

One leaf rather than a row of boxes: a scoreboard page draws two of them on
every render, and the parts never move relative to one another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import WHITE, YELLOW, Color
from matrix_client.render.fonts import Font
from matrix_client.render.text import clean, shorten, text_box
from matrix_client.render.widgets.base import Env, Rect, Size, Widget


@dataclass(eq=False)
class ScoreLine(Widget):
    """``name`` then ``score`` in a ``score_width`` px column at the right, ``gap`` px
    apart; each ``*_drop`` px below the row's top. ``tag`` (a small widget) follows the
    name ``tag_gap`` px after it, its room kept so a long name is shortened, not covered.
    The row is as wide as its room and ``height`` px high."""

    name: object
    score: object
    height: int
    name_font: str | Font = "small"
    score_font: str | Font = "small"
    score_width: int = 17
    name_color: Color = WHITE
    score_color: Color = YELLOW
    name_drop: int = 0
    score_drop: int = 0
    gap: int = 2
    tag: Widget | None = None
    tag_gap: int = 2

    def __post_init__(self) -> None:
        self.name_text = clean(self.name)
        self.score_text = clean(self.score)

    def measure(self, room: Size, env: Env) -> Size:
        return room[0], self.height

    def _places(self, box: Rect, env: Env) -> tuple[int, int, Rect | None]:
        """(room left for the name, its width as drawn, the tag's box or None) in ``box``."""
        x, y, w, h = box
        name_font = env.font(self.name_font)
        room = w - min(self.score_width, w) - self.gap
        tag_w = tag_h = 0
        if self.tag is not None:
            tag_w, tag_h = self.tag.size((max(0, room - self.tag_gap), h), env)
        name_room = room - (tag_w + self.tag_gap if tag_w else 0)
        drawn = 0
        if self.name_text and name_room > 0:
            drawn = name_font.width(shorten(self.name_text, name_font, name_room))
        mark = None
        if tag_w and tag_h and self.tag is not None:
            left = x + drawn + self.tag_gap if drawn else x
            mark = (left, y + self.name_drop, tag_w, min(tag_h, h - self.name_drop))
        return name_room, drawn, mark

    def tag_box(self, box: Rect, env: Env) -> Rect | None:
        """Where the tag is painted in ``box`` (None: it is not), as paint places it."""
        return self._places(box, env)[2]

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        name_font, score_font = env.font(self.name_font), env.font(self.score_font)
        score_w = min(self.score_width, w)
        if self.score_text:
            line = (x + w - score_w, y + self.score_drop, score_w,
                    min(score_font.height, h - self.score_drop))
            text_box(image, line, self.score_text, score_font, self.score_color, align="right")
        name_room, _, mark = self._places(box, env)
        if self.name_text and name_room > 0:
            line_h = min(name_font.height, h - self.name_drop)
            text_box(image, (x, y + self.name_drop, name_room, line_h), self.name_text,
                     name_font, self.name_color)
        if mark is not None and self.tag is not None:
            return self.tag.paint(image, mark, env)
        return math.inf
