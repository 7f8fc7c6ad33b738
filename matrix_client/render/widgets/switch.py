"""BySize: a different subtree per panel size class (64x32, 128x32, 64x64, 128x64).

The choice follows the panel, not the box the switch is given, so one tree
describes a page at every size and a layout table can name what differs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import (
    SIZE_CLASSES,
    Env,
    Rect,
    Size,
    Widget,
    paint_child,
)


@dataclass(eq=False)
class BySize(Widget):
    """``cases`` maps size classes to subtrees; ``default`` serves the others (or nothing)."""

    cases: Mapping[str, Widget]
    default: Widget | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.cases) - set(SIZE_CLASSES))
        if unknown:
            raise ValueError(
                f"BySize: unknown size class {', '.join(unknown)}; known: {', '.join(SIZE_CLASSES)}"
            )

    def chosen(self, env: Env) -> Widget | None:
        return self.cases.get(env.size_class, self.default)

    def measure(self, room: Size, env: Env) -> Size:
        child = self.chosen(env)
        return (0, 0) if child is None else child.size(room, env)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        child = self.chosen(env)
        return math.inf if child is None else paint_child(child, image, box, env)
