"""BandScale: a scale of coloured bands (the AQI's six EPA bands) with a marker.

The bands are equal segments across the box, each drawn dimmed in its colour;
a white marker stands where ``value`` falls inside its band (past the last
band: at its end). A value that is not a finite number shows no marker.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.layout import fill
from matrix_client.render.widgets.base import Env, Rect, Size, Widget

BAND_BRIGHTNESS = 0.55  # the bands stay dim so the marker stands out


@dataclass(eq=False)
class BandScale(Widget):
    """``bands`` are (upper bound, colour) from the lowest; the scale starts at 0."""

    value: object
    bands: Sequence[tuple[float, Color]]
    height: int = 3
    marker: Color = colors.WHITE

    def measure(self, room: Size, env: Env) -> Size:
        return (room[0] if self.bands else 0), self.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        value = as_value(self.value)
        count = len(self.bands)
        lower = 0.0
        for i, (upper, color) in enumerate(self.bands):
            x0 = x + w * i // count
            x1 = x + w * (i + 1) // count
            fill(image, (x0, y, x1 - x0, h), colors.dimmed(color, BAND_BRIGHTNESS))
            last = i == count - 1
            if value is not None and (lower <= value <= upper or (last and value > upper)):
                t = min(1.0, (value - lower) / max(1, upper - lower))
                mx = min(x1 - 1, x0 + round(t * (x1 - x0 - 1)))
                fill(image, (mx, y, 1, h), self.marker)
            lower = upper + 1
        return math.inf


def as_value(value: object) -> float | None:
    """A finite number (not a bool) as a float, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)
