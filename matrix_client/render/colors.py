"""The panel palette and the color scales pages share.

LED panels show dark colors poorly and saturate light ones, so the palette
keeps clear hues at moderate levels; "dim" variants are for secondary text.
"""

from __future__ import annotations

from functools import lru_cache

Color = tuple[int, int, int]

BLACK: Color = (0, 0, 0)
WHITE: Color = (235, 235, 235)
GREY: Color = (120, 120, 120)
DIM: Color = (70, 70, 70)
AMBER: Color = (255, 176, 48)
ORANGE: Color = (255, 110, 20)
YELLOW: Color = (250, 220, 60)
GREEN: Color = (60, 210, 90)
CYAN: Color = (60, 200, 230)
BLUE: Color = (60, 120, 255)
SKY: Color = (110, 170, 255)
RED: Color = (240, 50, 40)
PINK: Color = (255, 100, 160)
PURPLE: Color = (170, 90, 240)
MAROON: Color = (150, 20, 50)


def lerp(a: Color, b: Color, t: float) -> Color:
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def scale(stops: tuple[tuple[float, Color], ...], value: float) -> Color:
    """Color of ``value`` on a piecewise-linear scale of (value, color) stops."""
    if value <= stops[0][0]:
        return stops[0][1]
    for (v0, c0), (v1, c1) in zip(stops, stops[1:], strict=False):
        if value <= v1:
            return lerp(c0, c1, (value - v0) / (v1 - v0))
    return stops[-1][1]


# Degrees Fahrenheit: icy blue through white to hot red.
TEMP_F_STOPS: tuple[tuple[float, Color], ...] = (
    (0, (150, 80, 255)),
    (20, (60, 120, 255)),
    (40, (60, 200, 230)),
    (60, (220, 220, 220)),
    (75, (250, 220, 60)),
    (90, (255, 110, 20)),
    (105, (240, 30, 30)),
)


@lru_cache(maxsize=512)
def temp_color(fahrenheit: float) -> Color:
    # Kept: pages colour the same few whole degrees on every render.
    return scale(TEMP_F_STOPS, fahrenheit)


def temp_color_in(value: float, units: str) -> Color:
    """The colour of a temperature in ``units`` ("metric": °C), on the °F scale."""
    return temp_color(value * 9 / 5 + 32 if units == "metric" else value)


# Age in seconds: fresh green, aging yellow, old red, ancient grey.
AGE_STOPS: tuple[tuple[float, Color], ...] = (
    (0, GREEN),
    (15 * 60, GREEN),
    (60 * 60, YELLOW),
    (6 * 3600, RED),
    (24 * 3600, (90, 30, 30)),
)


def age_color(seconds: float) -> Color:
    return scale(AGE_STOPS, seconds)


def dimmed(color: Color, factor: float = 0.5) -> Color:
    return (round(color[0] * factor), round(color[1] * factor), round(color[2] * factor))


WIND_TEXT: Color = (150, 200, 220)
SOFT: Color = (150, 160, 175)  # secondary text that must stay readable
DIM_TEXT: Color = (95, 95, 95)
