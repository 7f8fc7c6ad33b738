"""Scoreboard marks: the bases diamond, a row of count dots (outs, downs) and the
small half-inning pointer.

Each measures as its own drawing and shows nothing, rather than a cut shape,
in a room smaller than that. Any value where the game's state goes: what is not
``True`` is an empty base, what is not a whole number counts as no outs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from matrix_client.render.colors import YELLOW, Color
from matrix_client.render.layout import diamond, dots
from matrix_client.render.widgets.base import Env, Rect, Size, Widget

BASE_ON: Color = YELLOW
BASE_OFF: Color = (70, 70, 80)


def _fits(room: Size, size: Size) -> Size:
    return size if size[0] <= room[0] and size[1] <= room[1] else (0, 0)


@dataclass(eq=False)
class Bases(Widget):
    """First, second and third base as diamonds of ``radius``, second on top, seen
    from home plate; lit ones solid. In a box wider than itself it is centred on the
    box's middle pixel column (``x + w // 2``), as a scoreboard centres its diamond."""

    bases: Sequence[object] = (False, False, False)
    radius: int = 3
    on: Color = BASE_ON
    off: Color = BASE_OFF

    def __post_init__(self) -> None:
        given = list(self.bases)[:3] if isinstance(self.bases, list | tuple) else []
        self.lit = tuple((given[i] if i < len(given) else False) is True for i in range(3))
        self.radius = max(1, int(self.radius))

    @property
    def step(self) -> int:
        return self.radius + 2  # one dark pixel between neighbouring bases

    def measure(self, room: Size, env: Env) -> Size:
        r = self.radius
        return _fits(room, (2 * self.step + 2 * r + 1, self.step + 2 * r + 1))

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        r, step = self.radius, self.step
        if w < 2 * step + 2 * r + 1 or h < step + 2 * r + 1:
            return math.inf
        left = x + w // 2 - step - r  # centred on the box's middle column
        picture = bases_image(r, self.lit, self.on, self.off)
        image.paste(picture, (left, y), picture)
        return math.inf


@lru_cache(maxsize=64)
def bases_image(
    radius: int, lit: tuple[bool, ...], on: Color, off: Color
) -> Image.Image:
    """The three bases drawn once per state (there are only eight)."""
    step = radius + 2
    picture = Image.new("RGBA", (2 * step + 2 * radius + 1, step + 2 * radius + 1))
    cx, cy = step + radius, radius
    spots = ((cx + step, cy + step), (cx, cy), (cx - step, cy + step))
    for (bx, by), is_lit in zip(spots, lit, strict=True):
        diamond(picture, (bx, by), radius, (*(on if is_lit else off), 255), solid=is_lit)
    return picture


@dataclass(eq=False)
class Dots(Widget):
    """``count`` squares of ``size`` px in a row, ``gap`` apart, the first ``filled`` lit."""

    filled: object
    count: int = 3
    size_px: int = 3
    gap: int = 2
    on: Color = (255, 60, 60)
    off: Color = (60, 30, 30)

    def __post_init__(self) -> None:
        value = self.filled
        whole = isinstance(value, int) and not isinstance(value, bool)
        self.lit = min(max(value, 0), self.count) if whole else 0  # type: ignore[type-var]

    def measure(self, room: Size, env: Env) -> Size:
        width = self.count * (self.size_px + self.gap) - self.gap
        return _fits(room, (width, self.size_px))

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        if self.measure((w, h), env) != (0, 0):
            dots(image, (x, y), self.count, self.lit, self.size_px, self.on, self.off, self.gap)
        return math.inf


@dataclass(eq=False)
class Pointer(Widget):
    """A small solid triangle, 5 px wide and 3 high, pointing up or down (the top or
    bottom of an inning)."""

    up: bool
    color: Color

    def measure(self, room: Size, env: Env) -> Size:
        return _fits(room, (5, 3))

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        if w >= 5 and h >= 3:
            if self.up:
                shape = [(x, y + 2), (x + 4, y + 2), (x + 2, y)]
            else:
                shape = [(x, y), (x + 4, y), (x + 2, y + 2)]
            ImageDraw.Draw(image).polygon(shape, fill=self.color)
        return math.inf
