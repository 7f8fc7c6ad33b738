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
    Align,
    Env,
    Rect,
    Size,
    Widget,
    check_align,
    inner,
    paint_child,
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
        check_align(self.halign, "Box halign")
        check_align(self.valign, "Box valign")

    def _edges(self) -> tuple[int, int, int, int]:
        # Asked for by measure and paint alike; a widget never changes once built.
        edges = self.__dict__.get("_edge_sizes")
        if edges is None:
            b = 1 if self.border is not None else 0
            edges = tuple(b + (m if m > 0 else 0) for m in margins(self.padding))
            self.__dict__["_edge_sizes"] = edges
        return edges

    def measure(self, room: Size, env: Env) -> Size:
        left, top, right, bottom = self._edges()
        rw = room[0] if self.width is None else min(room[0], self.width)
        rh = room[1] if self.height is None else min(room[1], self.height)
        cw, ch = (0, 0)
        if self.child is not None:
            cw, ch = self.child.size((rw - left - right, rh - top - bottom), env)
        w = self.width if self.width is not None else cw + left + right
        h = self.height if self.height is not None else ch + top + bottom
        return w, h

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        if self.background is not None:
            fill(image, box, self.background)
        if self.border is not None:
            frame(image, box, self.border)
        if self.child is None:
            return math.inf
        x, y, w, h = inner(box, *self._edges())
        cw, ch = self.child.size((w, h), env)
        dx, cw = place(self.halign, w, cw)
        dy, ch = place(self.valign, h, ch)
        if not cw or not ch:
            return math.inf
        return paint_child(self.child, image, (x + dx, y + dy, cw, ch), env)
