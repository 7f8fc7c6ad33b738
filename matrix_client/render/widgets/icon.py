"""Icon: one of the project's drawn icons by name, at the largest size that fits.

Names: the weather conditions of render/icons.py (``clear``, ``rain``...,
with ``night`` for the moon-lit variants), ``moon`` (at ``phase``, 0 new to
0.5 full) and ``trash`` (5x5, 11x12, and that can doubled or more from 22 px).
Icons are drawn natively at each size, so one that does not fit its room is
drawn smaller (down to 8 px) instead of being cut; an unknown name draws the
"unknown" cloud.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from matrix_client.render.icons import CONDITIONS, moon_image, trash_icon, weather_icon
from matrix_client.render.widgets.base import Drawn, Size

ICON_NAMES = (*CONDITIONS, "moon", "trash")
SMALLEST = 8  # below this a drawn icon is no longer recognisable


def icon_image(name: str, size: int, night: bool = False, phase: float = 0.5) -> Image.Image:
    """The RGBA picture of icon ``name`` at about ``size`` px."""
    if name == "moon":
        return moon_image(phase, size)
    if name == "trash":
        return trash_can(size)
    return weather_icon(name if name in CONDITIONS else "unknown", night, size)


@lru_cache(maxsize=8)
def trash_can(size: int) -> Image.Image:
    """The garbage can for ``size`` px: 5x5, 11x12, or the 11x12 can scaled by whole
    pixels (pixel art stays crisp) for 22 px and up (22x24, 33x36...). The scale is
    by the width, which is what Icon.picture tries first."""
    if size < 11:
        return trash_icon("small")
    can = trash_icon("large")
    scale = size // 11
    if scale == 1:
        return can
    return can.resize((can.width * scale, can.height * scale), Image.Resampling.NEAREST)


@dataclass(eq=False)
class Icon(Drawn):
    """Icon ``name`` at ``size`` px (square), or smaller where the room is smaller."""

    name: str
    size_px: int = 16
    night: bool = False
    phase: float = 0.5

    def __post_init__(self) -> None:
        # Name, night and phase often come straight from a message: any value draws.
        if not isinstance(self.name, str):
            self.name = "unknown"
        self.night = self.night is True
        if type(self.phase) not in (int, float) or not math.isfinite(self.phase):
            self.phase = 0.5

    def picture(self, room: Size) -> Image.Image | None:
        """The largest drawing of the icon that fits ``room`` (sprites are not square)."""
        side = min(self.size_px, room[0], room[1])
        while side >= min(SMALLEST, self.size_px) and side > 0:
            picture = icon_image(self.name, side, self.night, self.phase)
            if picture.width <= room[0] and picture.height <= room[1]:
                return picture
            side -= 1
        return None
