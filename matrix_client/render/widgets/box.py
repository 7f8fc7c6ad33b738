"""Box: a child (or nothing) with padding, an optional border and background,
and an optional fixed width or height. Without a child it is a spacer or a
filled rectangle."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import Color
from matrix_client.render.layout import fill, frame
from matrix_client.render.widgets.base import (
    ALIGNS,
    Align,
    Env,
    Rect,
    Size,
    Widget,
    check_align,
    place,
)

Padding = int | tuple[int, int] | tuple[int, int, int, int]


def margins(padding: Padding) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) from 4 px, (x, y) or (left, top, right, bottom)."""
    if type(padding) is int:
        return (padding, padding, padding, padding)
    if len(padding) == 2:
        return (padding[0], padding[1], padding[0], padding[1])
    left, top, right, bottom = padding
    return (left, top, right, bottom)


@dataclass(eq=False)
class Box(Widget):
    """``child`` inside padding and a 1 px ``border``; ``halign``/``valign`` place a
    child smaller than the inside ("stretch", the default, hands it all of it)."""

    child: Widget | None = None
    width: int | None = None
    height: int | None = None
    padding: Padding = 0
    border: Color | None = None
    background: Color | None = None
    halign: Align = "stretch"
    valign: Align = "stretch"

    def __post_init__(self) -> None:
        if self.halign not in ALIGNS:
            check_align(self.halign, "Box halign")
        if self.valign not in ALIGNS:
            check_align(self.valign, "Box valign")
        # Asked for by measure and paint alike; a widget never changes once built.
        b = 1 if self.border is not None else 0
        padding = self.padding
        if padding == 0 and not b:  # most boxes: a size or a background, no edges
            self._edges = (0, 0, 0, 0)
            return
        left, top, right, bottom = margins(padding)
        self._edges = (
            b + (left if left > 0 else 0), b + (top if top > 0 else 0),
            b + (right if right > 0 else 0), b + (bottom if bottom > 0 else 0),
        )

    def measure(self, room: Size, env: Env) -> Size:
        left, top, right, bottom = self._edges
        width, height = self.width, self.height
        rw = room[0] if width is None or room[0] < width else width
        rh = room[1] if height is None or room[1] < height else height
        cw = ch = 0
        if self.child is not None:
            cw, ch = self.child.size((rw - left - right, rh - top - bottom), env)
        return (
            width if width is not None else cw + left + right,
            height if height is not None else ch + top + bottom,
        )

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        if self.background is not None:
            fill(image, box, self.background)
        if self.border is not None:
            frame(image, box, self.border)
        child = self.child
        if child is None:
            return math.inf
        left, top, right, bottom = self._edges
        x, y, w, h = box
        x += left
        y += top
        w -= left + right
        h -= top + bottom
        if w < 0:
            w = 0
        if h < 0:
            h = 0
        cw, ch = child.size((w, h), env)
        halign, valign = self.halign, self.valign
        if halign != "stretch" or valign != "stretch":
            dx, cw = place(halign, w, cw)
            dy, ch = place(valign, h, ch)
        else:
            dx = dy = 0
            cw, ch = w, h
        if not cw or not ch:
            return math.inf
        recorder = env._recorder
        if recorder is None:
            return child.paint(image, (x + dx, y + dy, cw, ch), env)
        return recorder.paint(child, image, (x + dx, y + dy, cw, ch), env)
