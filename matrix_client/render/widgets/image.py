"""Picture: an image (RGB or RGBA) at its own size, or shrunk to fit.

Named Picture so pages can import it next to Pillow's ``Image``. A picture
larger than its room is scaled down by nearest neighbour keeping its aspect
(pixel art stays crisp), never cropped; RGBA transparency shows what is below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import Env, Rect, Size, Widget, paste_in


def fitted_size(size: Size, room: Size) -> Size:
    """``size`` scaled down (never up) to fit ``room``, keeping the aspect ratio."""
    w, h = size
    if w <= room[0] and h <= room[1]:
        return w, h
    scale = min(room[0] / w, room[1] / h)
    return min(room[0], max(1, int(w * scale))), min(room[1], max(1, int(h * scale)))


@dataclass(eq=False)
class Picture(Widget):
    """``image`` drawn at the top-left of its box."""

    image: Image.Image

    def __post_init__(self) -> None:
        if self.image.mode not in ("RGB", "RGBA"):
            self.image = self.image.convert("RGBA")  # palette GIFs, greyscale

    def measure(self, room: Size, env: Env) -> Size:
        return fitted_size(self.image.size, room)

    def _scaled(self, size: Size) -> Image.Image:
        if size == self.image.size:
            return self.image
        kept = self.__dict__.get("_scaled_copy")
        if kept is None or kept.size != size:
            kept = self.image.resize(size, Image.Resampling.NEAREST)
            self._scaled_copy = kept
        return kept

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        if w > 0 and h > 0:
            paste_in(image, self._scaled(fitted_size(self.image.size, (w, h))), box)
        return math.inf
