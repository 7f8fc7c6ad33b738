"""Expand: marks a child of a row or column that takes a share of the space
left over once its siblings have their preferred sizes."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import Env, Rect, Size, Widget, paint_child


@dataclass(eq=False)
class Expand(Widget):
    """``child`` stretched along the row's (or column's) main axis; shares by ``weight``."""

    child: Widget
    weight: int = 1

    def measure(self, room: Size, env: Env) -> Size:
        return self.child.size(room, env)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        return paint_child(self.child, image, box, env)
