"""ProgressBar: a horizontal gauge, ``fraction`` (0 to 1) filled, the rest a track."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import DIM, GREEN, Color
from matrix_client.render.layout import hbar
from matrix_client.render.widgets.base import Env, Rect, Size, Widget


def as_fraction(value: object) -> float:
    """Any value -> a fraction in [0, 1]; what is not a finite number counts as 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return min(1.0, max(0.0, float(value)))


@dataclass(eq=False)
class ProgressBar(Widget):
    """A gauge ``height`` px high, as wide as its room unless ``width`` is given."""

    fraction: object
    color: Color = GREEN
    track: Color = DIM
    width: int | None = None
    height: int = 2

    def measure(self, room: Size, env: Env) -> Size:
        return (room[0] if self.width is None else self.width), self.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        hbar(image, box, as_fraction(self.fraction), self.color, self.track)
        return math.inf
