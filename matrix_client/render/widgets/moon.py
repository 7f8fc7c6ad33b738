"""MoonDisc and Arrow: the moon page's disc at its phase, and the rise/set mark.

The disc is render/icons.py's moon drawn per pixel at ``phase`` (0 new, 0.5
full); an unknown phase (None, or not a finite number) draws a dim outline, so
the page still shows where the moon would be. The arrow is a 5x3 triangle up
(rising), down (setting) or a dot (unknown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.icons import moon_image
from matrix_client.render.widgets.base import Env, Rect, Size, Widget, paste_in

ARROW = (5, 3)  # the rise/set mark's width and height


@dataclass(eq=False)
class MoonDisc(Widget):
    """The moon ``size_px`` px across (smaller where the room is)."""

    phase: object
    size_px: int = 28

    def _side(self, room: Size) -> int:
        return min(self.size_px, room[0], room[1])

    def measure(self, room: Size, env: Env) -> Size:
        side = self._side(room)
        return (side, side) if side >= 4 else (0, 0)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y = box[0], box[1]
        side = self._side((box[2], box[3]))
        phase = self.phase
        if side < 4:
            return math.inf
        if type(phase) in (int, float) and math.isfinite(phase):  # type: ignore[arg-type]
            paste_in(image, moon_image(float(phase), side), (x, y, side, side))  # type: ignore[arg-type]
        else:
            ImageDraw.Draw(image).ellipse((x, y, x + side - 1, y + side - 1), outline=colors.DIM)
        return math.inf


@dataclass(eq=False)
class Arrow(Widget):
    """Up when ``up`` is True, down when False, a dot when None."""

    up: bool | None
    color: Color = colors.WHITE

    def measure(self, room: Size, env: Env) -> Size:
        return ARROW

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        if w < ARROW[0] or h < ARROW[1]:
            return math.inf  # too small to draw it whole
        draw = ImageDraw.Draw(image)
        if self.up is None:
            draw.point((x + 2, y + 1), fill=self.color)
        elif self.up:
            draw.polygon([(x, y + 2), (x + 4, y + 2), (x + 2, y)], fill=self.color)
        else:
            draw.polygon([(x, y), (x + 4, y), (x + 2, y + 2)], fill=self.color)
        return math.inf
