"""Sparkline: a series as a line, optionally with the area under it filled.

One pixel per value unless ``width`` is given or the box is wider (then the
points spread over it); gaps (values that are not numbers) break the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from matrix_client.render.colors import CYAN, Color
from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.series import level, readings, value_range


@dataclass(eq=False)
class Sparkline(Widget):
    """``values`` between ``low`` and ``high`` (default: the data's range)."""

    values: Sequence[object]
    color: Color = CYAN
    fill: Color | None = None
    width: int | None = None
    height: int = 8
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        self.series = readings(self.values)  # read once per tree

    def measure(self, room: Size, env: Env) -> Size:
        count = len(self.series)
        return (count if self.width is None else self.width), (self.height if count else 0)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        values = self.series
        if w <= 0 or h <= 0 or not values:
            return math.inf
        lo, hi = value_range(values, self.low, self.high)
        bottom = y + h - 1
        span = max(1, len(values) - 1)
        points = [
            None if v is None else (x + i * (w - 1) // span, bottom - level(v, lo, hi, h - 1))
            for i, v in enumerate(values)
        ]
        draw = ImageDraw.Draw(image)
        if self.fill is not None:
            for run in _runs(points):
                area = [(run[0][0], bottom), *run, (run[-1][0], bottom)]
                draw.polygon(area, fill=self.fill)
        for a, b in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                draw.line((a, b), fill=self.color)
            elif a is not None:
                draw.point(a, fill=self.color)
        if points[-1] is not None:
            draw.point(points[-1], fill=self.color)
        return math.inf


def _runs(points: list[tuple[int, int] | None]) -> list[list[tuple[int, int]]]:
    """The unbroken stretches of the line, between gaps."""
    runs: list[list[tuple[int, int]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]
