"""TempCurve: temperatures as a line over rain-chance bars, one step per hour.

The line is coloured by temperature segment by segment, the highest and lowest
values are labelled at the left, and a dim tick marks each index in ``marks``
(where the day changes). Values that are not numbers (or past -199..199) are
left out of the line; fewer than two readable ones show ``empty`` instead.
The colours follow ``units``: a metric message's 20 °C is as warm as 68 °F.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.fonts import Font
from matrix_client.render.layout import line_text
from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.series import readings

RAIN_SHARE = 0.6  # the tallest rain bar, of the plot's height
RAIN_BRIGHTNESS = 0.45
UNITS = ("imperial", "metric")


def _label(value: float) -> str:
    return f"{int(round(value))}\u00b0"


@dataclass(eq=False)
class TempCurve(Widget):
    """``temps`` (°F, or °C when ``units`` is "metric") and ``pops`` (0-100) per step;
    ``marks`` are step indices to tick."""

    temps: Sequence[object]
    pops: Sequence[object] = ()
    marks: Sequence[int] = ()
    font: str | Font = "tiny"
    rain: Color = (90, 150, 255)
    empty: str = "no temperatures"
    height: int = 29
    units: str = "imperial"

    def __post_init__(self) -> None:
        # Caught where the tree is built: a misspelt unit would colour every reading wrongly.
        if self.units not in UNITS:
            raise ValueError(f"TempCurve units: {self.units!r} is not one of {', '.join(UNITS)}")

    def measure(self, room: Size, env: Env) -> Size:
        return room[0], self.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        fnt = env.font(self.font)
        temps = [t if t is not None and -199 <= t <= 199 else None for t in readings(self.temps)]
        known = [t for t in temps if t is not None]
        if len(known) < 2 or w <= 0 or h <= 2:
            line_text(image, box, self.empty, fnt, colors.GREY, align="center")
            return math.inf
        lo, hi = min(known), max(known)
        label_w = max(fnt.width(_label(hi)), fnt.width(_label(lo))) + 2
        gx, gw = x + label_w, w - label_w
        step = max(1, gw // max(1, len(temps)))
        draw = ImageDraw.Draw(image)
        span = max(1.0, hi - lo)
        plot_top, plot_h = y + 1, h - 2
        bar_color = colors.dimmed(self.rain, RAIN_BRIGHTNESS)
        for i, pop in enumerate(readings(self.pops)[: len(temps)]):
            if pop is not None and 0 < pop <= 100:
                bar = max(1, round(plot_h * pop / 100 * RAIN_SHARE))
                x0 = gx + i * step
                x1 = x0 + max(0, step - 2)  # a pixel apart from the next bar where there is room
                if x1 < x + w:
                    draw.rectangle((x0, y + h - bar, x1, y + h - 1), fill=bar_color)
        points = [
            (gx + i * step + step // 2, plot_top + round((hi - t) / span * (plot_h - 1)), t)
            for i, t in enumerate(temps)
            if t is not None
        ]
        for (x0, y0, t0), (x1, y1, _) in zip(points, points[1:], strict=False):
            if x1 < x + w:
                draw.line([(x0, y0), (x1, y1)], fill=colors.temp_color_in(t0, self.units))
        top = (x, plot_top, label_w, fnt.height)
        line_text(image, top, _label(hi), fnt, colors.temp_color_in(hi, self.units))
        bottom = (x, y + h - fnt.height, label_w, fnt.height)
        line_text(image, bottom, _label(lo), fnt, colors.temp_color_in(lo, self.units))
        for i in self.marks:
            if 0 < i < len(temps) and gx + i * step < x + w:
                draw.line([(gx + i * step, y), (gx + i * step, y + 2)], fill=colors.DIM)
        return math.inf
