"""Stack: children painted over one another in the same box, first at the bottom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import (
    ALIGNS,
    Align,
    Env,
    Rect,
    Size,
    Widget,
    check_align,
    paint_child,
    place,
)


@dataclass(eq=False)
class Stack(Widget):
    """Layers: each child is placed by ``halign``/``valign`` in the stack's box."""

    children: Sequence[Widget] = ()
    halign: Align = "start"
    valign: Align = "start"

    def __post_init__(self) -> None:
        if self.halign not in ALIGNS:
            check_align(self.halign, "Stack halign")
        if self.valign not in ALIGNS:
            check_align(self.valign, "Stack valign")

    def measure(self, room: Size, env: Env) -> Size:
        sizes = [child.size(room, env) for child in self.children]
        return max((s[0] for s in sizes), default=0), max((s[1] for s in sizes), default=0)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        ttl = math.inf
        for child in self.children:
            cw, ch = child.size((w, h), env)
            dx, cw = place(self.halign, w, cw)
            dy, ch = place(self.valign, h, ch)
            if cw and ch:
                ttl = min(ttl, paint_child(child, image, (x + dx, y + dy, cw, ch), env))
        return ttl
