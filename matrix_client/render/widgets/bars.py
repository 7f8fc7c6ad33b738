"""BarChart: a series as vertical bars from the bottom of the box.

Bars are ``bar`` px wide with ``gap`` px between; a box too narrow for all of
them shows the first ones that fit (series here start now: the next hours).
A positive value below one pixel still shows one pixel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import SKY, Color
from matrix_client.render.layout import fill
from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.series import level, readings, value_range


@dataclass(eq=False)
class BarChart(Widget):
    """``values`` from ``low`` (default 0) to ``high`` (default: the largest value)."""

    values: Sequence[object]
    color: Color = SKY
    colors: Sequence[Color] | None = None  # one per bar, overriding ``color``
    bar: int = 1
    gap: int = 1
    height: int = 8
    low: float | None = 0.0
    high: float | None = None

    def __post_init__(self) -> None:
        self.series = readings(self.values)  # read once per tree

    def measure(self, room: Size, env: Env) -> Size:
        count = len(self.series)
        bar, gap = max(1, self.bar), max(0, self.gap)
        fitting = min(count, (room[0] + gap) // (bar + gap))
        return fitting * (bar + gap) - gap if fitting else 0, self.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        values = self.series
        if w <= 0 or h <= 0:
            return math.inf
        bar, gap = max(1, self.bar), max(0, self.gap)
        values = values[: max(0, (w + gap) // (bar + gap))]
        lo, hi = value_range(values, self.low, self.high)
        for i, value in enumerate(values):
            if value is None:
                continue
            tall = level(value, lo, hi, h)
            if value > lo and tall == 0:
                tall = 1
            color = self.colors[i] if self.colors and i < len(self.colors) else self.color
            fill(image, (x + i * (bar + gap), y + h - tall, bar, tall), color)
        return math.inf
