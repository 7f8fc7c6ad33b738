"""ClockFace: an analog clock face at the render's time (minute dots, hour ticks,
hour, minute and second hands, a hub).

The face is a square of ``2 * radius + 2`` px with its centre at ``radius + 1``
from the top-left, so a face centred in an even-sized room has its centre on
the room's middle pixel. The hands follow ``env.now``: the same time always
draws the same face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.widgets.base import Env, Rect, Size, Widget

HOUR_HAND, MINUTE_HAND, SECOND_HAND = 0.5, 0.8, 0.85  # lengths, of the radius


@dataclass(eq=False)
class ClockFace(Widget):
    """A face of ``radius`` px; ticks in ``color``, hands white, the second hand red."""

    radius: int = 23
    color: Color = colors.AMBER

    def measure(self, room: Size, env: Env) -> Size:
        side = 2 * max(0, self.radius) + 2
        return (side, side) if side <= min(room) else (0, 0)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        radius = self.radius
        if radius <= 0 or min(w, h) < 2 * radius + 2:
            return math.inf
        # Drawn on its own square and pasted, so nothing can land outside the box.
        side = 2 * radius + 2
        face = Image.new("RGB", (side, side))
        _draw_face(ImageDraw.Draw(face), (radius + 1, radius + 1), radius, env, self.color)
        image.paste(face, (x, y))
        return math.inf


def _draw_face(
    draw: ImageDraw.ImageDraw, center: tuple[int, int], radius: int, env: Env, color: Color
) -> None:
    cx, cy = center
    for minute in range(60):
        angle = 2 * math.pi * minute / 60 - math.pi / 2
        if minute % 5:
            x = round(cx + math.cos(angle) * radius)
            y = round(cy + math.sin(angle) * radius)
            draw.point((x, y), fill=colors.DIM)
        else:
            inner, outer = radius - (3 if minute % 15 == 0 else 2), radius
            draw.line(
                [
                    (round(cx + math.cos(angle) * inner), round(cy + math.sin(angle) * inner)),
                    (round(cx + math.cos(angle) * outer), round(cy + math.sin(angle) * outer)),
                ],
                fill=color if minute % 15 == 0 else colors.dimmed(color, 0.6),
            )
    now = env.now
    minutes = now.minute + now.second / 60
    _hand(draw, center, ((now.hour % 12) + minutes / 60) / 12, radius * HOUR_HAND, colors.WHITE, 2)
    _hand(draw, center, minutes / 60, radius * MINUTE_HAND, colors.WHITE)
    _hand(draw, center, now.second / 60, radius * SECOND_HAND, colors.RED)
    draw.rectangle((cx - 1, cy - 1, cx, cy), fill=color)


def _hand(
    draw: ImageDraw.ImageDraw,
    center: tuple[int, int],
    turns: float,
    length: float,
    color: Color,
    width: int = 1,
) -> None:
    angle = 2 * math.pi * turns - math.pi / 2  # 0 turns = 12 o'clock
    end = (round(center[0] + math.cos(angle) * length), round(center[1] + math.sin(angle) * length))
    draw.line([center, end], fill=color, width=width)
