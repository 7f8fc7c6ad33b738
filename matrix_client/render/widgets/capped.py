"""Capped: a child offered at most ``max_width`` px of the room (a label that may
take a third of a line and no more), as wide as it wants within that."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import Env, Rect, Size, Widget


@dataclass(eq=False)
class Capped(Widget):
    """``child`` in at most ``max_width`` px of width."""

    child: Widget
    max_width: int

    def measure(self, room: Size, env: Env) -> Size:
        return self.child.size((min(room[0], max(0, self.max_width)), room[1]), env)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        return self.child.paint(image, box, env)
